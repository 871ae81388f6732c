import Foundation
import Testing
@testable import CouncilDocuments

private func metadata(_ text: String) -> MeetingMetadata {
    MetadataExtractor().extract(TextLines.split(text))
}

@Suite struct DateTests {
    @Test(arguments: [
        ("Tuesday, 26 May 2015 at 2.00 pm", "2015-05-26", true),
        ("THURSDAY 10th OCTOBER 2019", "2019-10-10", true),
        ("Tuesday, 4th March, 2025", "2025-03-04", true),
        ("WEDNESDAY, 5TH DECEMBER, 2018, AT 9.15AM.", "2018-12-05", true),
        ("Wednesday, 6” March, 2019, at 9.15 a.m.", "2019-03-06", true),
        ("on 9 FEBRUARY 2017", "2017-02-09", false),
        ("held on May 26, 2015", "2015-05-26", false),
        ("Date: 2019-03-06", "2019-03-06", false),
        ("dated 26/05/2015", "2015-05-26", false),
        ("Monday 1st Sept 2014", "2014-09-01", true),
    ])
    func findsDates(text: String, iso: String, weekday: Bool) {
        let found = DateFinder.find(in: text)
        #expect(found.first?.date.iso == iso)
        #expect(found.first?.hasWeekday == weekday)
    }

    @Test func ignoresNonDates() {
        #expect(DateFinder.find(in: "31 February 2017").isEmpty)
        #expect(DateFinder.find(in: "the budget for 2018/19 to 2021/22").isEmpty)
        #expect(DateFinder.find(in: "May 2015").isEmpty)
        #expect(DateFinder.find(in: "10.00 am").isEmpty)
    }

    @Test func workingDays() {
        let friday = CalendarDate(year: 2017, month: 9, day: 29)!
        #expect(friday.weekday == 5)
        #expect(friday.nextWorkingDay.iso == "2017-10-02")
        #expect(CalendarDate(year: 2017, month: 9, day: 27)!.nextWorkingDay.iso == "2017-09-28")
        #expect(CalendarDate(dayNumber: CalendarDate(year: 2024, month: 2, day: 29)!.dayNumber).iso == "2024-02-29")
    }

    @Test func meetingDateIsNotPublicationOrNextMeeting() {
        let text = """
            Planning Committee

            Minutes of a meeting held at Council Offices, High Street on Wednesday, 14 March 2018.

            Publication Date: Friday, 16 March 2018.

            Date of next meeting: Wednesday, 11 April 2018 at 10.00 am

            1. The minutes of the meeting held on 14 February 2018 were confirmed and signed.
            """
        #expect(metadata(text).date.value?.iso == "2018-03-14")
    }

    @Test func summonsDateBeatsLetterDate() {
        let text = """
            1st March, 2019
            To: Each Member of the Municipal District of Newcastle West

            You are requested to attend a Meeting of the Municipal District of Newcastle West to be held in
            Aras William Smith O'Brien, Newcastle West on

            Wednesday, 6th March, 2019, at 9.15 a.m.
            """
        #expect(metadata(text).date.value?.iso == "2019-03-06")
    }

    @Test func moderngovDeadlineGivesNextWorkingDay() {
        let text = """
            Public Participation (Agenda Item 2)

            Members of the public wishing to take part should notify the Head of Legal and Democratic Services in writing no later than 9.00am on the working day before the meeting (in this case 29 September 2017).
            """
        #expect(metadata(text).date.value?.iso == "2017-10-02")
    }

    @Test func noDateIsNull() {
        let m = metadata("Some notes about the budget. The plan runs to 2021/22.")
        #expect(m.date.value == nil)
        #expect(m.date.confidence == 0)
    }
}

@Suite struct CommitteeTests {
    @Test(arguments: [
        ("To: Members of the Cabinet\n\nNotice of a Meeting of the Cabinet\n\nTuesday, 26 May 2015 at 2.00 pm", "Cabinet"),
        ("Notice of a Meeting\n\nPerformance Scrutiny Committee\n\nThursday, 4 January 2018 at 10.00 am", "Performance Scrutiny Committee"),
        ("Minutes of a meeting of the Planning and Regulation Committee held on Monday, 5 March 2018", "Planning and Regulation Committee"),
        ("PERFORMANCE SCRUTINY COMMITTEE\n\nMINUTES of the meeting held on Thursday, 14 December 2017 commencing at 10.00 am", "Performance Scrutiny Committee"),
        ("Notice of a Meeting of Oxfordshire County Council\n\nTuesday, 10 July 2018 at 10.30 am", "Council"),
        ("To: Members of the Audit and Governance Committee\n\nThe Committee will meet on 3 May 2019.", "Audit and Governance Committee"),
        ("MINUTES OF PROCEEDINGS AT MEETING OF THE\nMUNICIPAL DISTRICT OF NEWCASTLE WEST JOINT\nPOLICING SUB COMMITTEE HELD IN ARAS WILLIAM SMITH O'BRIEN, NEWCASTLE WEST, ON\nWEDNESDAY, 5TH DECEMBER, 2018", "Municipal District of Newcastle West Joint Policing Sub Committee"),
        ("**COUNCIL**\n**9 FEBRUARY 2017**\n**REPORT OF CABINET - SUMMARY OF DECISIONS TAKEN**", "Council"),
    ])
    func findsCommittee(text: String, committee: String) {
        #expect(metadata(text).committee.value == committee)
    }

    @Test func genericReferencesAreNotNames() {
        // "The Committee considered" names no committee.
        #expect(metadata("The Committee considered the report.\nThe Committee noted the update.").committee.value == nil)
    }
}

@Suite struct KindTests {
    @Test(arguments: [
        ("Notice of a Meeting of the Cabinet\n\nAGENDA\n\n1. Apologies for Absence (Pages 1 - 4)", DocumentKind.agenda),
        ("You are hereby summoned to attend a meeting of the Council", DocumentKind.agenda),
        ("Cabinet\n\nMinutes of a meeting held at County Hall on Wednesday, 27 September 2017.\n\nPresent:", DocumentKind.minutes),
        ("COUNCIL\n\nREPORT OF CABINET - SUMMARY OF DECISIONS TAKEN", DocumentKind.decisions),
        ("RECORD OF DECISION\n\nDecision maker: Cabinet Member for Highways", DocumentKind.decisions),
        ("Division(s): N/A\n\nCABINET – 20 MARCH 2018\n\nREPORT BY THE DIRECTOR FOR CHILDREN'S SERVICES\n\nPurpose of Report", DocumentKind.report),
    ])
    func findsKind(text: String, kind: DocumentKind) {
        #expect(metadata(text).kind.value == kind)
    }
}

@Suite struct CouncilTests {
    @Test func emailDomain() {
        let m = metadata("Contact Officer: Jane Smith, Democratic Services. E-mail: jane.smith@kent.gov.uk\nTel: 03000 416000")
        #expect(m.council.value == "Kent County Council")
        #expect(m.council.source.contains("kent.gov.uk"))
        #expect(m.councilCode == "KEN")
    }

    @Test func countyHallAddress() {
        let m = metadata("Cabinet\n\nTuesday, 12 March 2019 at 10.00 am\n\nCouncil Chamber, Sessions House, County Hall, Maidstone")
        #expect(m.council.value == "Kent County Council")
    }

    @Test func countyHallInCountyTown() {
        let m = metadata("Cabinet\n\nTuesday, 26 May 2015 at 2.00 pm\n\nRooms 1&2 - County Hall, New Road, Oxford OX1 1ND")
        #expect(m.council.value == "Oxfordshire County Council")
    }

    @Test func abolishedCouncilIsNotChosenAfterItsEnd() {
        // Dorset County Council ended on 31 March 2019; Dorset Council
        // meets at County Hall, Dorchester from 1 April 2019.
        let before = metadata("Cabinet\n\nMinutes of a meeting held at County Hall, Colliton Park, Dorchester, Dorset, DT1 1XJ on Wednesday, 27 September 2017.")
        #expect(before.council.value == "Dorset County Council")
        let after = metadata("Cabinet\n\nMinutes of a meeting held at County Hall, Colliton Park, Dorchester, Dorset, DT1 1XJ on Tuesday, 4 June 2019.")
        #expect(after.council.value == "Dorset Council")
    }

    @Test func councilsOutsideTheGazetteerFromTheText() {
        let parish = metadata("STOKE FERRY PARISH COUNCIL\n\nMinutes of the Parish Council meeting held on Monday 2nd March 2020 at 7.30pm in the Village Hall")
        #expect(parish.council.value == "Stoke Ferry Parish Council")
        let limerick = metadata("Newcastle West Municipal District,\nLimerick City and County Council,\nAras William Smith O'Brien, Newcastle West, Co. Limerick.")
        #expect(limerick.council.value == "Limerick City and County Council")
    }

    @Test func mentionedPartnersDoNotWin() {
        let text = """
            Agenda and minutes
            Venue: County Hall, Worcester
            The Cabinet considered the report. Essex County Council was our improvement partner.
            The ADM needed to be right for Worcestershire. Worcestershire's children deserve better.
            """
        #expect(metadata(text).council.value == "Worcestershire County Council")
    }

    @Test func nothingToGoOnIsNull() {
        let m = metadata("Apologies were received. The report was noted.")
        #expect(m.council.value == nil)
    }
}

@Suite struct PortfolioTests {
    let extractor = PortfolioExtractor()

    @Test(arguments: [
        ("Cabinet Member: Finance Forward Plan Ref: 2015/032 Contact: Claire Phillips", ["Finance"]),
        ("Cabinet Member: Children, Education & Families Forward Plan Ref: 2015/017", ["Children, Education & Families"]),
        ("The Cabinet considered a report by the Cabinet Member for Safeguarding regarding a Modernisation Plan", ["Safeguarding"]),
        ("together with the response of the Cabinet Member with Responsibility for Children and Families.", ["Children and Families"]),
        ("Jill Haynes\tDeputy Leader and Cabinet Member for Health and Care", ["Health and Care"]),
        ("From: Cabinet Member for\nAdult Social Care and Health\nTo: Cabinet", ["Adult Social Care and Health"]),
        ("Report of the Portfolio Holder for Housing and Planning", ["Housing and Planning"]),
        ("Finance and Assets Portfolio Holder: Councillor J Smith", ["Finance and Assets"]),
        ("Councillor Smith, Executive Member for Environment, introduced the report.", ["Environment"]),
        ("Assistant Mayor of Liverpool & Cabinet Member - Education, Employment & Skills", ["Education, Employment & Skills"]),
        ("Cabinet Member for Children's Services and Social Care", ["Children's Services and Social Care"]),
        ("a joint report by the Cabinet Member for Economy, Education, Learning and Skills and the Cabinet Member for Community and Resources regarding priorities",
         ["Economy, Education, Learning and Skills", "Community and Resources"]),
        ("the response of the Cabinet Member with Responsibility for Health in liaison with the Cabinet Member for Transformation and Commissioning.",
         ["Health", "Transformation and Commissioning"]),
        ("The report was presented by the Cabinet Member for Natural and Built\nEnvironment regarding the plan.", ["Natural and Built Environment"]),
        // Where a title ends: an officer named after it, a decision's label, an
        // article and "Portfolio" around it.
        ("report by Mr John Simmonds – Cabinet Member for Finance and Lynda McMullan, Director of Finance", ["Finance"]),
        ("Decision Maker: Cabinet Member for Transport, Infrastructure and Growth\nDecisions: That the scheme be approved.", ["Transport, Infrastructure and Growth"]),
        ("Report of the Executive Member for the Communities and Benefits Portfolio", ["Communities and Benefits"]),
        // Other forms of the role.
        ("The report of the Cabinet Member with Portfolio for Children and Young People was received.", ["Children and Young People"]),
        ("Having considered the advice of the committee the Portfolio Holder (Children and Family Services) proposed that", ["Children and Family Services"]),
        ("Oral report of the Leader of the Council", ["Leader"]),
        ("Leader's Update", ["Leader"]),
    ])
    func findsPortfolio(text: String, expected: [String]) {
        #expect(extractor.portfolios(ofItem: text) == expected)
    }

    @Test func headingsAndAbsenteesAreNotPortfolios() {
        #expect(extractor.portfolios(ofItem: "Cabinet Member Updates") == [])
        #expect(extractor.portfolios(ofItem: "Cabinet Member Statement") == [])
        #expect(extractor.portfolios(ofItem: "Key or Significant Cabinet Member Decision(s)") == [])
        #expect(extractor.portfolios(ofItem: "Apologies for absence were received from Councillor Wells (Portfolio Holder for Environment & Sustainability, Waste & Recycling).") == [])
    }

    @Test func tableRowsStaySeparate() {
        let text = "Mrs Judith Heathcoat\tCabinet Member for Adult Social Care\nNick Carter\tCabinet Member for Business & Customer Services\nMelinda Tilley\tCabinet Member for Children, Education & Families"
        #expect(extractor.allPortfolios(in: text) == ["Adult Social Care", "Business & Customer Services", "Children, Education & Families"])
    }

    @Test func rolesThatAreNotPortfolios() {
        #expect(extractor.portfolios(ofItem: "Cabinet Member: All Contact Officer: Sue Whitehead").isEmpty)
        #expect(extractor.portfolios(ofItem: "Lead Member of Safer & Stronger Community Select Committee").isEmpty)
    }

    @Test func presenterBeatsCommenters() {
        let text = """
            The Cabinet considered Worcestershire's Data Sharing Charter.

            The Cabinet Member for Transformation and Commissioning explained that in 2016 KPMG produced a roadmap.

            The Cabinet Member for Communities said that data sharing had been talked about for years.
            """
        #expect(extractor.portfolios(ofItem: text) == ["Transformation and Commissioning"])
    }
}

@Suite struct SegmentationTests {
    private func items(_ text: String) -> [Item] {
        CouncilPaper.parse(text).items.filter { !$0.isFrontMatter }
    }

    @Test func agendaListWithPageReferences() {
        let text = """
            Notice of a Meeting of the Licensing Committee
            Monday, 9 July 2018 at 10.00 am

            AGENDA

            1. Apologies for Absence

            2. Minutes (Pages 1 - 6)

            To approve the minutes of the meeting held on 4 June 2018.

            3. Review of Taxi Licensing Policy (Pages 7 - 30)

            Report by the Director of Law.

            The Committee is RECOMMENDED to approve the policy.
            """
        let found = items(text)
        #expect(found.map(\.title) == ["1. Apologies for Absence", "2. Minutes", "3. Review of Taxi Licensing Policy"])
        #expect(found[2].text.contains("RECOMMENDED"))
    }

    @Test func minutesWithHeadingsAboveNumbers() {
        let text = """
            Cabinet
            Minutes of a meeting held at County Hall on Wednesday, 27 September 2017.

            Apologies for Absence

            111 Apologies for absence were received from Cllr Cox.

            Highways Maintenance Contract

            112 The Cabinet considered a report by the Cabinet Member for Highways on the new contract.

            Resolved

            1. That the contract be awarded.
            2. That the Director be authorised to sign it.
            """
        let found = items(text)
        #expect(found.map(\.title) == ["111. Apologies for Absence", "112. Highways Maintenance Contract"])
        #expect(found[1].portfolios == ["Highways"])
        #expect(found[1].text.contains("That the contract be awarded."))
    }

    @Test func numberedParagraphsAreNotItems() {
        let text = """
            COUNCIL
            9 FEBRUARY 2017
            REPORT OF CABINET - SUMMARY OF DECISIONS TAKEN

            ### Budget Monitoring

            1. The Cabinet has noted the forecast for the year and the actions proposed.

            2. The Cabinet has approved the virement of £1m to children's services.

            ### Library Strategy

            3. The Cabinet has adopted the library strategy for consultation with residents.
            """
        #expect(items(text).map(\.title) == ["Budget Monitoring", "Library Strategy"])
    }

    @Test func textWithoutStructureIsOneItem() {
        let found = items("The committee met and discussed the weather at length, reaching no conclusion about it at all.")
        #expect(found.count == 1)
    }
}

@Suite struct ReaderTests {
    private func write(_ bytes: [UInt8], name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("reader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    @Test func utf8WithByteOrderMark() throws {
        let path = try write([0xEF, 0xBB, 0xBF] + Array("Cabinet – agenda".utf8), name: "a.txt")
        let source = try DocumentReader().read(path: path)
        #expect(source.text == "Cabinet – agenda")
        #expect(source.encoding == "UTF-8")
    }

    @Test func windows1252() throws {
        // "Council’s report – £5m" in Windows-1252.
        let bytes: [UInt8] = Array("Council".utf8) + [0x92] + Array("s report ".utf8) + [0x96, 0x20, 0xA3] + Array("5m".utf8)
        let source = try DocumentReader().read(path: try write(bytes, name: "w.txt"))
        #expect(source.text == "Council’s report – £5m")
        #expect(source.encoding == "Windows-1252")
    }

    @Test func binaryIsRefused() throws {
        let path = try write([0x25, 0x50, 0x44, 0x46, 0x00, 0x01, 0x02, 0xFF], name: "b.txt")
        #expect(throws: ReadError.binary) { try DocumentReader().read(path: path) }
    }

    @Test func emptyAndUnsupported() throws {
        #expect(throws: ReadError.empty) { try DocumentReader().read(path: try write(Array("  \n\n ".utf8), name: "e.md")) }
        #expect(throws: ReadError.unsupportedFormat("xyz")) { try DocumentReader().read(path: try write([65], name: "x.xyz")) }
    }

    @Test func missingFileSaysWhy() throws {
        do {
            _ = try DocumentReader().read(path: "/nonexistent/file.txt")
            Issue.record("read a missing file")
        } catch {
            #expect(String(describing: error).contains("cannot read"))
        }
    }

    @Test func markdownFrontMatterIsSeparated() throws {
        let md = "---\ntitle: \"Parish Council Minutes\"\ndate: 2020-03-10\n---\n# Stoke Ferry Parish Council\n\nMinutes of the meeting held on 2nd March 2020.\n"
        let source = try DocumentReader().read(path: try write(Array(md.utf8), name: "m.md"))
        #expect(source.frontMatter["title"] == "Parish Council Minutes")
        #expect(source.frontMatter["date"] == "2020-03-10")
        // Blank lines where the front matter was: the body's line numbers are the file's.
        #expect(source.text.hasPrefix("\n\n\n\n# Stoke Ferry Parish Council"))
        let paper = CouncilPaper.parse(source)
        #expect(paper.items.first?.line == 5)
        // The front matter's title is read as the paper's heading.
        #expect(CouncilPaper.parse(source).metadata.date.value?.iso == "2020-03-02")
    }

    @Test func aPageOfLinksIsNotAPaper() throws {
        // A scraper's index page: a meeting's name, date and links to its files.
        let index = """
            # Meeting Details

            **Meeting Name:** Monthly Meeting of the Municipal District of Newcastle West

            **Date and Time:** 2019-03-06 09:15:00

            **[Link to Meeting](https://www.limerick.ie/council/whats-on/monthly-meeting-municipal-district-newcastle-west-7)**

            Files:

            Agenda - Monthly Meeting - 6th March 2019.pdf - [Original file](https://www.limerick.ie/sites/default/files/media/documents/2019-03/00%20Agenda%20March%202019.pdf) - [Extracted text](./Agenda%20-%20Monthly%20Meeting%20-%206th%20March%202019.md)
            """
        #expect(throws: ReadError.notAPaper("an index of 3 links with few words of its own")) {
            try DocumentReader().read(path: try write(Array(index.utf8), name: "README.md"))
        }
        // Minutes that link to their attachments are papers.
        let minutes = """
            # Stoke Ferry Parish Council

            Minutes of the Ordinary Meeting held on Wednesday 4 March 2020 at 7.30pm in the Village Hall.

            Present: Cllr A Smith (Chair), Cllr B Jones, Cllr C Brown. In attendance: the Clerk and two members of the public.

            1. Apologies for absence were received from Cllr D White, who was on holiday, and accepted by the council.
            2. The minutes of the meeting held on 5 February 2020 were approved and signed as a true record.
            3. Planning: application [20/00123/F](https://example.org/planning/20-00123) for a garage extension was supported.
            4. The clerk's report ([PDF](https://example.org/clerk-report.pdf)) was received and noted by members.
            """
        #expect(try DocumentReader().read(path: try write(Array(minutes.utf8), name: "minutes.md")).text.contains("Stoke Ferry"))
    }
}

/// Inputs that once crashed the extractor (found indexing the Limerick corpus).
@Suite struct CrashRegressionTests {
    @Test func sentencesStartingWithTheAndAVerb() {
        let paper = CouncilPaper.parse("The approved housing allocations scheme was noted.\nThe considered view of the members was recorded.")
        #expect(paper.items.count >= 1)
    }

    @Test func lowerCasingThatChangesLength() {
        // "İ" lower-cases to two scalars: indices of the lower-cased line
        // must never be used on the original.
        let text = "İİİİ meeting of the Cabinet held at County Hall, Oxford\nThe İstanbul Committee considered the report."
        let paper = CouncilPaper.parse(text)
        #expect(paper.items.count >= 1)
    }

    @Test func bareNumberWhoseTitleIsTheNextItemsHeading() {
        let text = "1.\n\nApologies\n\n2 The minutes were approved.\n\n3.\n\nClose"
        #expect(CouncilPaper.parse(text).items.count >= 1)
    }
}
