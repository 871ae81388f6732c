import CouncilIndex
import CLineEdit
import ArgumentParser
print("hi")
