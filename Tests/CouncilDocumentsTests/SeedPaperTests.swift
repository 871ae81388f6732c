import Foundation
import Testing
@testable import CouncilDocuments

/// The five papers of Corpus/, read from their content (not their names),
/// asserted exactly: meeting metadata, every item's title and portfolios.
enum Corpus {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Corpus")

    static func paper(_ name: String) throws -> CouncilPaper {
        let source = try DocumentReader().read(path: directory.appendingPathComponent(name).path)
        return CouncilPaper.parse(source.text)
    }
}

struct ExpectedItem {
    let title: String
    let portfolios: [String]
    init(_ title: String, _ portfolios: [String] = []) {
        self.title = title
        self.portfolios = portfolios
    }
}

private func check(_ paper: CouncilPaper, council: String, committee: String, date: String, kind: DocumentKind,
                   items expected: [ExpectedItem], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(paper.metadata.council.value == council, sourceLocation: sourceLocation)
    #expect(paper.metadata.committee.value == committee, sourceLocation: sourceLocation)
    #expect(paper.metadata.date.value?.iso == date, sourceLocation: sourceLocation)
    #expect(paper.metadata.kind.value == kind, sourceLocation: sourceLocation)
    let items = paper.items.filter { !$0.isFrontMatter }
    #expect(items.map(\.title) == expected.map(\.title), sourceLocation: sourceLocation)
    for (item, want) in zip(items, expected) {
        #expect(item.portfolios == want.portfolios, "\(item.title)", sourceLocation: sourceLocation)
    }
}

@Suite struct SeedPaperTests {
    @Test func oxfordshireCabinetAgenda() throws {
        let paper = try Corpus.paper("000_f81ba9aa27b3c6b1.txt")
        check(paper, council: "Oxfordshire County Council", committee: "Cabinet", date: "2015-05-26", kind: .agenda, items: [
            ExpectedItem("1. Declarations of Interest"),
            ExpectedItem("2. Apologies for Absence"),
            ExpectedItem("3. Minutes"),
            ExpectedItem("4. Questions from County Councillors"),
            ExpectedItem("5. Petitions and Public Address"),
            ExpectedItem("6. Addressing the Council's Future Challenges", ["Finance"]),
            ExpectedItem("7. The Council's Response to the Findings of the Serious Case Review for Children A-F and Further Action Taken in Response to Child Sexual Exploitation in Oxfordshire", ["Children, Education & Families"]),
            ExpectedItem("8. Support for Children Looked After and Leaving Care into Employment, Education & Training", ["Children, Education & Families"]),
            ExpectedItem("9. Supported Transport Programme Public Consultation - Transport Hub & Subsidised Bus Services", ["Environment"]),
            ExpectedItem("10. Provision of HR and Finance Services by Hampshire County Council", ["Deputy Leader"]),
            ExpectedItem("11. England's Economic Heartland - Tri-Counties Prospectus", ["Leader"]),
            ExpectedItem("12. Help to Live at Home - Home Care Business Case", ["Adult Social Care"]),
            ExpectedItem("13. Section 75 Agreement", ["Adult Social Care"]),
            ExpectedItem("14. Equalities - Annual Update", ["Deputy Leader"]),
            ExpectedItem("15. Staffing Report - Quarter 4 - 2014", ["Deputy Leader"]),
            ExpectedItem("16. Forward Plan and Future Business"),
        ])
        // The membership list's portfolios are found too.
        #expect(Set(paper.portfolios) == ["Finance", "Children, Education & Families", "Environment", "Deputy Leader", "Leader",
                                          "Adult Social Care", "Business & Customer Services", "Cultural & Community Services",
                                          "Public Health & the Voluntary Sector"])
        // The front matter (notice, membership, guidance) is kept, not lost.
        let front = try #require(paper.items.first)
        #expect(front.isFrontMatter)
        #expect(front.text.contains("Rooms 1&2 - County Hall"))
        #expect(front.text.contains("Date of next meeting: 23 June 2015"))
        // Items carry their own text only.
        let homeCare = try #require(paper.items.first { $0.number == "12" })
        #expect(homeCare.text.hasPrefix("Cabinet Member: Adult Social Care"))
        #expect(homeCare.text.hasSuffix("It is RECOMMENDED that Cabinet agrees the proposed Oxfordshire model for home care."))
        #expect(homeCare.line == 190)
    }

    @Test func oxfordshireScrutinyAgendaPack() throws {
        let paper = try Corpus.paper("001_f61dce86c6b063e1.txt")
        check(paper, council: "Oxfordshire County Council", committee: "Performance Scrutiny Committee", date: "2018-01-04", kind: .agenda, items: [
            ExpectedItem("1. Apologies for Absence and Temporary Appointments"),
            ExpectedItem("2. Declarations of Interest - Guidance note on back page of the agenda"),
            ExpectedItem("3. Minutes"),
            ExpectedItem("4. Petitions and Public Address"),
            ExpectedItem("5. Service & Resource Planning 2018/19 to 2021/22 - Capital Investment Planning"),
            ExpectedItem("6. Oxfordshire County Council Draft Corporate Plan 2018 - 2021"),
            ExpectedItem("7. Oxfordshire County Council Draft Equality Policy"),
            ExpectedItem("8. Implementation of the Health Inequalities Commission Recommendations"),
            ExpectedItem("9. Quarter 2 Business Management Report"),
            ExpectedItem("10. Committee Work Programme"),
        ])
        let items = paper.items
        // The pack's papers are joined to the agenda items they belong to.
        let minutes = try #require(items.first { $0.number == "3" })
        #expect(minutes.text.contains("MINUTES of the meeting held on Thursday, 14 December 2017"))
        #expect(minutes.text.contains("SCRUTINY OF FINANCIAL PERFORMANCE"))
        let guidance = try #require(items.first { $0.number == "2" })
        #expect(guidance.text.contains("The duty to declare"))
        let capital = try #require(items.first { $0.number == "5" })
        #expect(capital.text.contains("Report by the Director of Finance"))
        let plan = try #require(items.first { $0.number == "6" })
        #expect(plan.text.contains("ANNEX A: OUR DELIVERY PLAN"))
        let equality = try #require(items.first { $0.number == "7" })
        #expect(equality.text.contains("Public Sector Equality Duty"))
        #expect(!equality.text.contains("ANNEX A: OUR DELIVERY PLAN"))
        let work = try #require(items.first { $0.number == "10" })
        #expect(work.text.contains("PROPOSED WORK PROGRAMME"))
        #expect(paper.portfolios.contains("Local Communities"))
    }

    @Test func dorsetCabinetMinutes() throws {
        let paper = try Corpus.paper("002_b77c10b755b80305.txt")
        check(paper, council: "Dorset County Council", committee: "Cabinet", date: "2017-09-27", kind: .minutes, items: [
            ExpectedItem("111. Apologies for Absence"),
            ExpectedItem("112. Code of Conduct"),
            ExpectedItem("113. Minutes"),
            ExpectedItem("114. Public Speaking"),
            ExpectedItem("115. Cabinet Forward Plan"),
            ExpectedItem("116. Panels and Boards"),
            ExpectedItem("117. Fostering Modernisation Plan", ["Safeguarding"]),
            ExpectedItem("118. Update Forward Together for Children: Family Partnership Zones and Care and Protection", ["Safeguarding"]),
            ExpectedItem("119. Delivering Dorset's Sustainability and Transformation Plan: Wave 1 Accountable Care System", ["Health and Care"]),
            ExpectedItem("120. The Community Offer for Living and Learning", ["Economy, Education, Learning and Skills", "Community and Resources"]),
            ExpectedItem("121. Questions from County Councillors"),
            ExpectedItem("122. Exempt Business"),
            ExpectedItem("123. Residential Homes - Children's Services", ["Safeguarding"]),
        ])
        // Not the publication date, nor the next meeting's.
        #expect(paper.metadata.date.value != CalendarDate(year: 2017, month: 10, day: 3))
        #expect(paper.portfolios.contains("Natural and Built Environment"))
        let minutes = try #require(paper.items.first { $0.number == "113" })
        #expect(minutes.text.contains("Matters Arising"))
    }

    @Test func worcestershireDecisionSummary() throws {
        let paper = try Corpus.paper("003_7dd9892103a73235.txt")
        check(paper, council: "Worcestershire County Council", committee: "Council", date: "2017-02-09", kind: .decisions, items: [
            ExpectedItem("Outcome from the Ofsted Inspection of Services for Children in need of help and protection, children looked after and care leavers", ["Children and Families"]),
            ExpectedItem("Scrutiny Report: Commissioning: Staff Terms and Conditions", ["Transformation and Commissioning"]),
            ExpectedItem("Scrutiny Report: Effectiveness of the Prevention and Recovery Drug and Alcohol Misuse Service", ["Health", "Transformation and Commissioning"]),
            ExpectedItem("Update Report of the Footways Overview and Scrutiny Task Group"),
            ExpectedItem("Pilot Intergenerational Project (Homeshare)"),
            ExpectedItem("A4440 Worcester Southern Link Road Dualling (SLR Dualling) – Final Phases", ["Economy, Skills and Infrastructure"]),
        ])
        // Contact points and background papers are back matter.
        let front = try #require(paper.items.first)
        #expect(front.isFrontMatter)
        #expect(front.text.contains("Background Papers"))
    }

    @Test func worcestershireModernGovMinutesPage() throws {
        let paper = try Corpus.paper("004_9c84ce1d197186bb.txt")
        check(paper, council: "Worcestershire County Council", committee: "Cabinet", date: "2017-09-28", kind: .minutes, items: [
            ExpectedItem("1798. Apologies and Declarations of Interest"),
            ExpectedItem("1799. Public Participation"),
            ExpectedItem("1800. Confirmation of the Minutes of the previous meeting"),
            ExpectedItem("1801. Children's Social Care Update", ["Children and Families"]),
            ExpectedItem("1802. Resources Report", ["Finance"]),
            ExpectedItem("1803. Worcestershire Data Sharing Charter", ["Transformation and Commissioning"]),
        ])
        #expect(paper.items.filter { !$0.isFrontMatter }.map(\.agendaNumber) == ["1", "2", "3", "4", "5", "6"])
        // The meeting date comes from "the working day before the meeting (in
        // this case 27 September 2017)": the meeting was the next working day.
        #expect(paper.metadata.date.source.contains("working day"))
    }
}
