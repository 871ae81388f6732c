import Xapian
import CouncilDocuments
