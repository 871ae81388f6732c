import Foundation
import Testing
@testable import CouncilDocuments

/// The pattern families added for papers the extractor had not seen: text
/// broken over lines, letters, OCR damage, year-less and misprinted dates,
/// districts, acronyms, council names read backwards. Sentences are written
/// for these tests in the councils' usual wording.
private func metadata(_ text: String) -> MeetingMetadata {
    MetadataExtractor().extract(TextLines.split(text))
}

@Suite struct MeetingDatePatternTests {
    @Test func dateBrokenOverTwoLines() {
        let text = """
            You are requested to attend a meeting of the Planning Committee to be held in the Council Chamber, County Hall, on Tuesday, 4th
            February 2020 at 10.00 am. The business to be transacted is set out below.
            """
        #expect(metadata(text).date.value?.iso == "2020-02-04")
    }

    @Test(arguments: [
        ("ON FRIDAY, 15THNOVEMBER, 2019, AT 10.00 A.M.", "2019-11-15", 5),
        ("will be held on Monday 9th of October 2017 at 2pm", "2017-10-09", 1),
        ("held on 21st of March, 2019", "2019-03-21", nil),
    ])
    func gluedAndOfOrdinals(text: String, iso: String, weekday: Int?) {
        let found = DateFinder.find(in: text).first
        #expect(found?.date.iso == iso)
        #expect(found?.weekday == weekday)
    }

    @Test func weekdayWithoutYearTakesTheLettersYear() {
        let text = """
            4th December, 2019

            To: Each Member of the Audit Committee

            Dear Member,

            A meeting of the Audit Committee will be held in Committee Room 2 on Monday, 9th December, at 2pm.
            """
        let m = metadata(text)
        #expect(m.date.value?.iso == "2019-12-09")
        #expect(m.date.source.contains("year from the paper's other dates"))
    }

    @Test func yearlessDatesNeedAWeekdayThatFits() {
        let thursday = DateFinder.findWithoutYear(in: "Thursday 18th May at 3.00pm").first
        #expect(thursday?.day == 18 && thursday?.month == 5 && thursday?.weekday == 4)
        let held = DateFinder.findWithoutYear(in: "was held on the 22nd of September by video link").first
        #expect(held?.day == 22 && held?.month == 9 && held?.weekday == nil)
        #expect(held?.resolve(near: CalendarDate(year: 2020, month: 10, day: 5)!)?.iso == "2020-09-22")
        #expect(DateFinder.findWithoutYear(in: "the 22nd of September").isEmpty)  // neither weekday nor "on"
        #expect(held?.resolve(near: CalendarDate(year: 2020, month: 1, day: 5)!)?.iso == "2019-09-22")  // the nearest
        #expect(DateFinder.findWithoutYear(in: "Tuesday, 4 March 2025").isEmpty)  // a full date
        let partial = DateFinder.findWithoutYear(in: "on Thursday 18th May").first!
        #expect(partial.resolve(near: CalendarDate(year: 2023, month: 4, day: 20)!)?.iso == "2023-05-18")
        #expect(partial.resolve(near: CalendarDate(year: 2020, month: 4, day: 20)!) == nil)  // no Thursday 18 May in 2019–2021
    }

    @Test func misprintedYearIsMendedByTheWeekday() {
        let text = """
            You are requested to attend the meeting of the Licensing Sub-Committee to be held on Thursday, 15 July, 2023 at 3.00 p.m. in Committee Room 1.

            AGENDA
            1. To adopt the minutes of the meeting held on 18 March, 2021.
            2. To note the Licensing Act 2003 statement adopted on 1 June 2021.
            """
        let m = metadata(text)
        #expect(m.date.value?.iso == "2021-07-15")
        #expect(DateFinder.find(in: "Thursday, 15 July, 2023").first?.weekdayMismatch == true)
    }

    @Test func aLettersDateIsNotTheMeeting() {
        // The meeting's own date is illegible in the scan: no date, not the letter's.
        let text = """
            12th June, 2015.

            To: Each Member of the Environment Committee

            A Chara,

            The next meeting of the Environment Committee will be held on M%nd*y, 2~nd J&ne at 11.30 a.m. in the Training Room.
            """
        #expect(metadata(text).date.value == nil)
    }

    @Test func theNextMeetingAnnouncedAtTheHeadOfAnAgenda() {
        let text = """
            TO EACH MEMBER OF THE HIGHWAYS COMMITTEE

            I wish to inform you that the next meeting of the Highways Committee will be held on Monday, 22nd June 2015 at 11.30 a.m. in the Council Chamber.

            AGENDA
            1. Adoption of the minutes of the meeting held on 10th March 2015.
            """
        #expect(metadata(text).date.value?.iso == "2015-06-22")
        #expect(metadata(text).committee.value == "Highways Committee")
    }

    @Test func calledToOrderBeatsTheIssueDate() {
        let text = """
            The Springfield Record
            OFFICIAL PUBLICATION OF THE COUNCIL OF THE CITY OF SPRINGFIELD
            WEDNESDAY, MARCH 9, 2016

            OFFICIAL PROCEEDINGS
            CITY COUNCIL
            Springfield, Ohio
            Monday, March 7, 2016
            The meeting of the Council was called to order at 7:20 p.m. with the President of Council in the Chair.
            Motion to hold the next regular meeting of Council on Monday, March 14, 2016, at 7:00 p.m.
            """
        let m = metadata(text)
        #expect(m.date.value?.iso == "2016-03-07")
        #expect(m.committee.value == "Council")
        #expect(m.council.value == "Springfield City Council")
    }

    @Test func aRunningHeaderCountsOnce() {
        // The attached minutes' header, on every page, does not outvote the meeting.
        let header = "Cabinet – 14 February 2018"
        var text = "Notice of a Meeting\n\nCabinet\n\nTuesday, 20 March 2018 at 2.00 pm\n\nAGENDA\n\n1. Minutes (Pages 1 - 12)\n"
        for page in 1...12 { text += "\n\(header)\n\nPage \(page)\n\nThe Cabinet noted item \(page).\n" }
        #expect(metadata(text).date.value?.iso == "2018-03-20")
        let view = LineView(TextLines.split(text))
        #expect(view.isRepeat.filter { $0 }.count == 10)
    }
}

@Suite struct CommitteePatternTests {
    @Test(arguments: [
        ("Newcastle West Municipal District", "Municipal District of Newcastle West"),
        ("Joint Policing Sub-Committee of the Municipal District of Adare-Rathkeale", "Municipal District of Adare-Rathkeale Joint Policing Sub-Committee"),
        ("Joint Policing Subcommittee for the Municipal District of Cappamore-Kilmallock", "Municipal District of Cappamore-Kilmallock Joint Policing Subcommittee"),
        ("Municipal District of Newcastle West", "Municipal District of Newcastle West"),
        ("Planning Committee", "Planning Committee"),
    ])
    func districtNamesAreCanonical(written: String, canonical: String) {
        #expect(MetadataExtractor.canonicalDistrictName(written) == canonical)
    }

    @Test func theCouncilsOwnNameBeforeABodyIsDropped() {
        let text = """
            TO: EACH MEMBER OF RUTLAND COUNTY COUNCIL PLANNING AND LICENSING COMMITTEE

            A meeting of Rutland County Council, Planning and Licensing Committee will be held on Tuesday 3 March 2020 at 7pm.
            """
        let m = metadata(text)
        #expect(m.committee.value == "Planning and Licensing Committee")
        #expect(m.council.value == "Rutland County Council")
    }

    @Test func aCommitteesNameWithACommaInIt() {
        let text = "A meeting of the Community, Leisure & Culture Committee was held in the Council Chamber on Wednesday 16th September 2015 at 2.30 p.m."
        #expect(metadata(text).committee.value == "Community, Leisure & Culture Committee")
    }

    @Test func acronymsAreSpelledOutAsThePaperSpellsThem() {
        let text = """
            To / Each Member of the Health and Adult Social Care OSC

            Dear Member,

            A meeting of the Health and Adult Social Care Overview and Scrutiny Committee will be held on Monday, 8th April 2019 at 2pm.
            """
        #expect(metadata(text).committee.value == "Health and Adult Social Care Overview and Scrutiny Committee")
    }

    @Test func aSubCommitteeMeetingOfADistrict() {
        let text = """
            MINUTES OF PROCEEDINGS AT JOINT POLICING SUB COMMITTEE
            MEETING OF THE MUNICIPAL DISTRICT OF CAPPAMORE-
            KILMALLOCK HELD AT THE COMMUNITY CENTRE ON THURSDAY, 10th DECEMBER, 2020, AT 3.00 P.M.
            """
        #expect(metadata(text).committee.value == "Municipal District of Cappamore-Kilmallock Joint Policing Sub Committee")
    }

    @Test func aMeetingInCommittee() {
        let text = "MINUTES OF PROCEEDINGS OF SPECIAL MEETING (IN COMMITTEE) OF THE POLICE AND CRIME PANEL HELD IN THE COUNCIL CHAMBER ON FRIDAY, 23RD DECEMBER, 2022"
        #expect(metadata(text).committee.value == "Police and Crime Panel")
    }

    @Test func aCouncilsLetterheadIsNotAFullCouncilMeeting() {
        #expect(metadata("SUFFOLK COUNTY COUNCIL\n\nCABINET\n\nTUESDAY 12 MARCH 2019 AT 9.30 AM").committee.value == "Cabinet")
        #expect(metadata("COUNCIL\n\n9 FEBRUARY 2017\n\nREPORT OF CABINET").committee.value == "Council")
        #expect(metadata("COUNTY COUNCIL\n\nTUESDAY 10 JULY 2018 AT 10.30 AM\n\nAGENDA").committee.value == "Council")
    }

    @Test func labelledForms() {
        #expect(metadata("Report to: Health and Wellbeing Board\nDate of meeting: 3 December 2019").committee.value == "Health and Wellbeing Board")
        #expect(metadata("From: Cabinet Member for Finance\nTo: Cabinet – 25 January 2021\nSubject: Budget").committee.value == "Cabinet")
        #expect(metadata("Meeting: Cabinet\nMeeting date: Thursday 14 March 2019").committee.value == "Cabinet")
    }
}

@Suite struct CouncilNamePatternTests {
    @Test func aNameReadBackwardsStopsAtWordsThatAreNotNames() {
        let text = "MINUTES OF PROCEEDINGS AT SPECIAL MEETING OF TRURO CITY COUNCIL HELD IN THE COUNCIL CHAMBER, CITY HALL, ON MONDAY, 7TH JULY, 2014"
        #expect(metadata(text).council.value == "Truro City Council")
    }

    @Test func aLetterheadBrokenOverLines() {
        let text = "Sudbury\nTOWN\nCOUNCIL\n\nTo: All Members of the Council\n\nYou are summoned to attend a meeting of the Town Council on Monday 6 January 2020 at 7.30pm."
        #expect(metadata(text).council.value == "Sudbury Town Council")
    }

    @Test func ocrDamageIsMendedFromThePapersOwnWords() {
        let text = """
            STOKE FERRV PARISH COUNCIL

            Minutes of the meeting of the Parish Council held on Monday 2nd March 2020 at 7.30pm.

            The Chairman welcomed residents of Stoke Ferry. The Stoke Ferry village sign is to be repainted.
            Stoke Ferry Community Trust reported on the village hall.
            """
        #expect(metadata(text).council.value == "Stoke Ferry Parish Council")
        #expect(MetadataExtractor.mendedName("Limenck City and County Council", ["Limerick": 6, "Limenck": 1]) == "Limerick City and County Council")
        #expect(Words.editDistance("limenck", "limerick", limit: 2) == 2)
        #expect(Words.editDistance("cabinet", "council", limit: 2) == 3)
    }

    @Test func ocrReadingsOfCouncilAndAnd() {
        let text = "Corporate Services,\nDerwent City ard County Councit,\nCivic Offices"
        #expect(metadata(text).council.value == "Derwent City and County Council")
    }

    @Test func aFormerCouncilIsNotThePapers() {
        let text = """
            Minutes of the Monthly Meeting of the District Committee held on Monday, 18th May 2015.

            The Chairman paid tribute to a former Councillor who had served on Kingsbridge Borough Council for twenty years.
            The motion asked that we follow the example of our predecessor, the Kingsbridge Borough Council, on water charges.
            """
        #expect(metadata(text).council.value == nil)
    }

    @Test func aParishNamedInItsHeadingBeatsTheDistrictMentionedInTheBody() {
        let text = """
            # Little Snoring Parish Council

            ## Minutes of the meeting of the Parish Council held at the Village Hall on Tuesday 7th January 2020 at 7pm

            ### Planning
            North Norfolk District Council has refused application PF/19/1234. North Norfolk District Council will be asked to review.
            """
        #expect(metadata(text).council.value == "Little Snoring Parish Council")
    }

    @Test func partnersNamedOftenInTheMinutesDoNotWin() {
        let text = """
            # Hilborough Parish Council

            Minutes of the Parish Council meeting held in the Church Room on Wednesday 13th May 2020 at 7.00pm.

            1. Planning: Breckland District Council has approved 3PL/2020/0011/F. Breckland District Council has refused 3PL/2020/0042/HOU.
            2. The Parish Council will write to Breckland District Council about enforcement.
            3. Highways: Norfolk County Council will repair the drain on Mill Lane. Norfolk County Council has been asked for a 30mph limit.
            4. Correspondence from Breckland District Council on the local plan was noted.
            """
        #expect(metadata(text).council.value == "Hilborough Parish Council")
    }

    @Test func andJoinsPlacesOnlyInANameStandingAlone() {
        let prose = "The Inspector welcomed the co-operation between the Gardai and Ballymore City & County Council on exclusion orders."
        #expect(metadata(prose).council.value == "Ballymore City & County Council")
        #expect(metadata("ASHWELL AND FUNDENHALL PARISH COUNCIL\n\nMinutes of the meeting held on 4 May 2021").council.value == "Ashwell and Fundenhall Parish Council")
    }

    @Test func theCouncilOfTheCityOf() {
        #expect(metadata("Official Publication of the Council of the City of Cleveland\n\nMonday, May 26, 2014").council.value == "Cleveland City Council")
    }
}

@Suite struct KindPatternTests {
    @Test(arguments: [
        ("The Mayor, Councillor Jane Hill, has called a Special Meeting of the Council to be held in the Council Chamber on Friday, 5th February, 2016, at 9.30 a.m.", DocumentKind.agenda),
        ("A meeting of the Economic Development Committee will be held in the Council Chamber on Monday 9th October 2017 at 2pm.\nThe Agenda is as set out hereunder and your attendance at this meeting is requested.", .agenda),
        ("MINUTES OF THE PARISH COUNCIL MEETING HELD ON THURSDAY 11TH NOVEMBER 2021 AT 7.30PM\n\nPresent: Cllr P Patrick (Chairman)", .minutes),
        ("TO: EACH MEMBER OF THE HOUSING COMMITTEE\n\nA meeting will be held on Tuesday 22 September 2020 at 2pm.\n\nAGENDA\n1. Confirm Minutes of meeting held on 22 June 2020.\n2. Matters arising from the Minutes.", .agenda),
        ("KENT COUNTY COUNCIL – RECORD OF DECISION\n\nDECISION TAKEN BY: Cabinet Member for Highways", .decisions),
        ("From: Cabinet Member for Finance\nTo: Cabinet – 25 January 2021\nSubject: Budget monitoring\nElectoral Division: All\nRecommendation(s): Cabinet is asked to note the report.", .report),
    ])
    func findsKind(text: String, kind: DocumentKind) {
        #expect(metadata(text).kind.value == kind)
    }
}

@Suite struct PortfolioPatternTests {
    let extractor = PortfolioExtractor()

    @Test func aSentenceAfterPortfolioIsNotATitle() {
        #expect(extractor.allPortfolios(in: "PORTFOLIO: Applicants will be notified of the time, date and place of the interview.").isEmpty)
        #expect(extractor.allPortfolios(in: "Portfolio: Adult Social Care and Health") == ["Adult Social Care and Health"])
    }

    @Test func aLabelOnTheNextLineEndsTheTitle() {
        let text = "Portfolio: Councillor Sue Smith, Cabinet Member for Adults and Health\nKey decision: Yes\nWards affected: All"
        #expect(extractor.portfolios(ofItem: text) == ["Adults and Health"])
    }
}

@Suite struct TextSearchTests {
    @Test func byteSearch() {
        let text = "Áras Contae an Chláir, Minutes of the Meeting; minutes again"
        #expect(text.includes("Minutes of"))
        #expect(!text.includes("minutes of"))
        #expect(text.utf8Offsets(of: "inutes").count == 2)
        let offset = text.utf8Offset(of: "Minutes")!
        #expect(text.slice(utf8: offset, offset + 7) == "Minutes")
        #expect(text.utf8Offset(of: "Minutes", from: offset + 1) == nil)
        #expect("".utf8Offset(of: "x") == nil)
    }

    @Test func asciiLowercasingKeepsOffsets() {
        let text = "ÁRAS WILLIAM SMITH O’BRIEN, Gortboy"
        let lower = Words.asciiLowercased(text)
        #expect(lower.utf8.count == text.utf8.count)
        #expect(lower == "Áras william smith o’brien, gortboy")
    }

    @Test func wordsWithAccentsApostrophesAndHyphens() {
        #expect(Words.split("Áras Seán Finn, O’Brien's co-opted 2019/20").map(String.init) == ["Áras", "Seán", "Finn", "O’Brien's", "co-opted", "2019", "20"])
    }
}
