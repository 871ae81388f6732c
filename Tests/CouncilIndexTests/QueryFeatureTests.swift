import CouncilDocuments
import Foundation
import Testing
@testable import CouncilIndex

@Suite struct SynonymTests {
    let synonyms = Synonyms.standard

    @Test func abbreviationExpandsToItsLongForm() {
        let (query, expansions) = synonyms.expand("LEP funding")
        #expect(query == "(LEP OR \"local enterprise partnership\") funding")
        #expect(expansions == [Synonyms.Expansion(matched: "LEP", alternatives: ["local enterprise partnership"])])
    }

    @Test func longFormExpandsToItsAbbreviations() {
        let (query, _) = synonyms.expand("special educational needs transport")
        #expect(query == "(\"special educational needs\" OR sen OR send OR \"special educational needs and disabilities\") transport")
    }

    @Test func caseMattersWhereMarked() {
        // "SEND" is the abbreviation; "send" is the verb.
        #expect(synonyms.expand("send letters").expansions.isEmpty)
        #expect(synonyms.expand("SEND transport").expansions.count == 1)
        // Unmarked abbreviations match in any case.
        #expect(synonyms.expand("ccg budget").expansions.first?.alternatives == ["clinical commissioning group"])
    }

    @Test func phrasesFiltersAndOperatorsAreLeftAlone() {
        #expect(synonyms.expand("\"LEP board\"").expansions.isEmpty)
        #expect(synonyms.expand("committee:LEP").expansions.isEmpty)
        #expect(synonyms.expand("LEP* OR +CCG").expansions.isEmpty)
        let (query, _) = synonyms.expand("NOT MTFP")
        #expect(query == "NOT (MTFP OR \"medium term financial plan\" OR \"medium-term financial plan\")")
    }
}

@Suite struct SearchFeatureTests {
    private let index: CorpusIndex
    private let service: SearchService

    init() throws {
        index = try CorpusIndex()
        try index.index()
        service = try index.service()
    }

    @Test func lepFindsLocalEnterprisePartnership() throws {
        // The Dorset minutes say "Local Enterprise Partnership (LEP)"; the
        // Oxfordshire agenda only "Local Enterprise Partnerships".
        let r = try service.search(SearchRequest(query: "LEP funding", limit: 20))
        #expect(r.hits.contains { $0.title.contains("Economic Heartland") })
        let plain = try service.search(SearchRequest(query: "lep", limit: 20))
        #expect(r.total > plain.total)
    }

    @Test func explainSaysHowAQueryIsUnderstood() throws {
        let i = try service.explain(SearchRequest(query: "fostering portfolio:safeguarding \"care leavers\" date:2017-09 LEP"))
        #expect(i.words.contains(Interpretation.Word(word: "fostering", stem: "foster", titleOnly: false)))
        #expect(i.phrases == ["care leavers", "local enterprise partnership"])
        #expect(i.filters.contains(Interpretation.Filter(field: "portfolio", value: "safeguarding", meaning: "Safeguarding")))
        #expect(i.filters.contains(Interpretation.Filter(field: "date", value: "2017-09", meaning: "from 1 September 2017 to 30 September 2017")))
        #expect(i.synonyms.map(\.matched) == ["LEP"])
        #expect(i.sentences.contains { $0.contains("“fostering” (also “foster…”)") })
        let misspelt = try service.explain(SearchRequest(query: "fostring"))
        #expect(misspelt.suggestion == "fostering")
        #expect(misspelt.sentences.last?.contains("did you mean “fostering”") == true)
    }

    @Test func similarItemsComeFromTheSameSubject() throws {
        let homeCare = try #require(try service.search(SearchRequest(query: "home care business case")).hits.first)
        let like = try service.similar(to: homeCare.id, request: SearchRequest(query: "", limit: 2))
        #expect(!like.hits.contains { $0.id == homeCare.id })
        #expect(like.hits.contains { $0.title == "13. Section 75 Agreement" })  // also adult social care
        let fostering = try #require(try service.search(SearchRequest(query: "fostering modernisation")).hits.first)
        let similar = try service.similar(to: fostering.id, request: SearchRequest(query: "", limit: 5))
        #expect(similar.hits.contains { $0.title == "123. Residential Homes - Children's Services" })
        // Filters narrow the similar items.
        let dorset = try service.similar(to: fostering.id, request: SearchRequest(query: "", filters: ["council:dorset"], limit: 20))
        #expect(dorset.hits.allSatisfy { $0.council == "Dorset County Council" })
        #expect(throws: CouncilError.notFound("nope")) { try service.similar(to: "nope") }
    }

    @Test func decisionAndPersonFilters() throws {
        let decided = try service.search(SearchRequest(query: "decision:yes fostering"))
        #expect(decided.hits.first?.title == "117. Fostering Modernisation Plan")
        let none = try service.search(SearchRequest(query: "decision:yes item:111"))
        #expect(none.total == 0)  // apologies: no resolution
        let butler = try service.search(SearchRequest(query: "person:\"steve butler\""))
        #expect(butler.hits.map(\.title) == ["117. Fostering Modernisation Plan"])
        let surname = try service.search(SearchRequest(query: "person:butler"))
        #expect(surname.total >= 1)
        #expect(try service.search(SearchRequest(query: "person:nobody")).warnings == ["no person matches “nobody”"])
    }

    @Test func savedSearchesAsFilters() throws {
        try service.saveSearch(name: "ofsted", query: "ofsted kind:decisions")
        let r = try service.search(SearchRequest(query: "saved:ofsted", limit: 50))
        #expect(r.total >= 1)
        #expect(r.hits.allSatisfy { $0.kind == "decisions" })
        #expect(throws: CouncilError.self) { try service.search(SearchRequest(query: "saved:missing")) }
        #expect(throws: CouncilError.self) { try service.saveSearch(name: "has space", query: "care") }
        #expect(throws: CouncilError.self) { try service.saveSearch(name: "loop", query: "saved:loop") }
    }

    @Test func statsPerCouncilAndCommittee() throws {
        let stats = try service.stats()
        #expect(stats.count == 5)
        let oxCabinet = try #require(stats.first { $0.council == "Oxfordshire County Council" && $0.committee == "Cabinet" })
        #expect(oxCabinet.papers == 1)
        #expect(oxCabinet.items == 16)
        #expect(oxCabinet.newestMeeting == "2015-05-26")
        #expect(oxCabinet.lastIndexed > 0)
    }
}

@Suite struct PeopleTests {
    let extractor = PeopleExtractor()

    @Test func councillorsOfficersMoversAndContacts() {
        #expect(extractor.people(in: "Cllr Steve Butler outlined of the duty of the Council.") == ["Steve Butler"])
        #expect(extractor.people(in: "Apologies for absence were received from Cllrs Hilary Cox and Peter Wharf.") == ["Hilary Cox", "Peter Wharf"])
        #expect(extractor.people(in: "Councillors Browne, Collins, Foley, Galvin and Scanlan.") == ["Browne", "Collins", "Foley", "Galvin", "Scanlan"])
        #expect(extractor.people(in: "Proposed by: Councillor Foley\nSeconded by: Councillor Galvin") == ["Foley", "Galvin"])
        #expect(extractor.people(in: "Mr Dyson opened a discussion about the role of the Committee.") == ["Dyson"])
        #expect(extractor.people(in: "Contact: Shaun Bennett, Commercial Services Manager Tel: 07917 211068") == ["Shaun Bennett"])
        #expect(extractor.people(in: "Councillor J. Sheahan, Cathaoirleach.") == ["J. Sheahan"])
        #expect(extractor.people(in: "Ray Bryan, County Councillor for Moors").isEmpty)
    }
}
