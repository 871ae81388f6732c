// swift-tools-version: 6.0
import PackageDescription

// Layers, bottom to top; dependencies point downwards only:
//   Shim/            CXapian: C API over Xapian's C++ (council_xapian.h)
//   Sources/Xapian   thin Swift wrapper over the C API
//   Sources/CouncilDocuments  reading council papers (text, Markdown, PDF through
//                             pdftotext, HTML and Word through libxml2 and zlib): meetings, items, metadata
//   Sources/CouncilIndex      the schema, indexer and search service
//   Sources/council           the command line and the REPL
let package = Package(
    name: "CouncilSearch",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "council", targets: ["council"]),
        .library(name: "CouncilIndex", targets: ["CouncilIndex"]),
        .library(name: "Xapian", targets: ["Xapian"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        .target(
            name: "CXapian",
            path: "Shim",
            linkerSettings: [.linkedLibrary("xapian")]
        ),
        .systemLibrary(
            name: "CLineEdit",
            path: "Sources/CLineEdit",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        .systemLibrary(
            name: "CLibZ",
            path: "Sources/CLibZ",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CLibXML2",
            path: "Sources/CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .target(name: "Xapian", dependencies: ["CXapian"]),
        .target(
            name: "CouncilDocuments",
            dependencies: ["CLibXML2", "CLibZ"]
        ),
        .target(name: "CouncilIndex", dependencies: ["Xapian", "CouncilDocuments"],
                resources: [.embedInCode("Synonyms.txt")]),
        .executableTarget(
            name: "council",
            dependencies: [
                "CouncilIndex",
                "CouncilDocuments",
                "CLineEdit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // libFuzzer targets (scripts/fuzz); without -DFUZZING, a replayer.
        .executableTarget(name: "council-fuzz", dependencies: ["CouncilIndex", "CouncilDocuments"], path: "Fuzz",
                          exclude: ["seeds", "regressions"]),
        .testTarget(name: "XapianTests", dependencies: ["Xapian"]),
        .testTarget(
            name: "CouncilDocumentsTests",
            dependencies: ["CouncilDocuments", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .testTarget(name: "CouncilIndexTests", dependencies: ["CouncilIndex"]),
        .testTarget(name: "CouncilCLITests", dependencies: ["council"]),
    ],
    cxxLanguageStandard: .cxx17
)
