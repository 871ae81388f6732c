import Foundation
import Testing
@testable import CouncilIndex

/// Snippets of long items are made from where the query's words are
/// densest, and still show and highlight them.
@Suite struct SnippetWindowTests {
    @Test func shortTextsAreUsedWhole() {
        let window = SnippetWindow(queryTerms: ["Zfoster", "fostering", "XCdorset county council"])
        #expect(window.needles.map { String(decoding: $0, as: UTF8.self) } == ["foster", "fostering"])
        let text = "The Cabinet considered the fostering service."
        #expect(window.excerpt(of: text) == text)
    }

    @Test func aLongTextIsCutWhereTheWordsAre() {
        let filler = String(repeating: "The committee noted the highways report and the library opening hours. ", count: 400)
        let passage = "Members discussed the Fostering Modernisation Plan and the recruitment of foster carers. "
        let text = filler + passage + filler
        let window = SnippetWindow(queryTerms: ["Zfoster", "Zcarer", "fostering"])
        let excerpt = window.excerpt(of: text)
        #expect(excerpt.utf8.count <= SnippetWindow.window + 8)
        #expect(excerpt.contains("Fostering Modernisation Plan"))
        // Not a word's inside: "care" does not find "scare".
        let careWindow = SnippetWindow(queryTerms: ["care"])
        let scare = String(repeating: "a scare at the depot. ", count: 700) + "home care providers" + String(repeating: " more text here", count: 300)
        #expect(careWindow.excerpt(of: scare).contains("home care providers"))
    }

    @Test func aLongItemsSnippetHighlightsTheMatchDeepInside() throws {
        let index = try CorpusIndex()
        let folder = index.directory.appendingPathComponent("papers")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let filler = String(repeating: "The committee noted the highways report and the library opening hours. ", count: 600)
        let paper = """
            CABINET

            Minutes of the meeting held on Wednesday 27 September 2017

            1. Highways and libraries

            \(filler) Members then turned to the homeshare pilot for older people. \(filler)
            """
        try paper.write(to: folder.appendingPathComponent("long.txt"), atomically: true, encoding: .utf8)
        try index.index([folder.path])
        let hit = try #require(try index.service().search(SearchRequest(query: "homeshare pilot")).hits.first)
        #expect(hit.snippet.contains("<b>homeshare pilot</b>") || hit.snippet.contains("<b>homeshare</b> <b>pilot</b>"), "\(hit.snippet)")
    }
}
