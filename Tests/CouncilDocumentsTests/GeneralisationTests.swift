import Foundation
import Testing
@testable import CouncilDocuments

/// Whole papers in the forms UK county councils and parish councils publish
/// them (written for these tests, not copied from any council): agendas and
/// minutes as PDF text with running headers, cabinet reports, records of
/// decision, parish minutes in Markdown with front matter.
private func parse(_ text: String) -> CouncilPaper { CouncilPaper.parse(text) }

private func expect(_ paper: CouncilPaper, council: String?, committee: String?, date: String?, kind: DocumentKind?,
                    sourceLocation: SourceLocation = #_sourceLocation) {
    let m = paper.metadata
    #expect(m.council.value == council, "council: \(m.council.source)", sourceLocation: sourceLocation)
    #expect(m.committee.value == committee, "committee: \(m.committee.source)", sourceLocation: sourceLocation)
    #expect(m.date.value?.iso == date, "date: \(m.date.source)", sourceLocation: sourceLocation)
    #expect(m.kind.value == kind, "kind: \(m.kind.source)", sourceLocation: sourceLocation)
}

@Suite struct ParishMinutesTests {
    @Test func markdownWithFrontMatterPostedLater() {
        let text = """
            ---
            title: "Minutes – March 2020"
            date: 2020-03-10
            author: Parish Clerk
            categories: [minutes]
            ---
            # Stoke Ferry Parish Council

            ## Minutes of the Meeting of Stoke Ferry Parish Council held on Monday 2nd March 2020 at 7.30pm in the Village Hall

            **Present:** Cllr J Smith (Chairman), Cllr A Brown, Cllr P Green, Cllr R White

            **In attendance:** Mrs K Jones (Clerk), County Councillor M Storey and three members of the public

            1. **Apologies for absence** – Apologies were received and accepted from Cllr T Black.
            2. **Declarations of interest** – None were declared.
            3. **Minutes of the previous meeting** – The minutes of the meeting held on 3rd February 2020 were approved and signed as a correct record.
            4. **Report from Norfolk County Council** – County Cllr Storey reported that Norfolk County Council will resurface the High Street in May.
            5. **Planning** – The Borough Council of King's Lynn & West Norfolk has approved application 19/01234/F.
            6. **Finance** – The following payments were approved: Clerk's salary £412.50; village hall hire £25.00.
            7. **Date of next meeting** – Monday 6th April 2020 at 7.30pm in the Village Hall.

            The meeting closed at 9.05pm.
            """
        expect(parse(text), council: "Stoke Ferry Parish Council", committee: "Council", date: "2020-03-02", kind: .minutes)
    }

    @Test func plainTextParishMinutes() {
        let text = """
            STOKE FERRY PARISH COUNCIL

            Minutes of the Parish Council Meeting held on Monday 2nd March 2020 at 7.30pm in the Village Hall, Bridge Road

            Present: Councillors Smith (Chairman), Brown, Green and White.

            20/031 To receive apologies for absence. Apologies were received from Cllr Black.
            20/032 To approve the minutes of the meeting held on 3rd February 2020. Resolved: the minutes were approved and signed.
            20/033 Planning. Resolved: no objection to application 20/00102/F.

            Signed ........................ Chairman     Date ................

            Date of next meeting: Monday 6th April 2020
            """
        expect(parse(text), council: "Stoke Ferry Parish Council", committee: "Council", date: "2020-03-02", kind: .minutes)
    }

    @Test func townCouncilCommittee() {
        let text = """
            Wymondham Town Council

            Minutes of the meeting of the Planning Committee held at the Town Council Offices, Middleton Street, on Tuesday 14 January 2020 at 7.00pm

            Present: Cllr A Hall (Chair), Cllr B King, Cllr C Lee

            P/20/01 Apologies: none.
            P/20/02 Minutes of the meeting held on 10 December 2019 were approved.
            """
        expect(parse(text), council: "Wymondham Town Council", committee: "Planning Committee", date: "2020-01-14", kind: .minutes)
    }
}

@Suite struct CountyAgendaTests {
    @Test func agendaWithPageHeadersAndPublicationDate() {
        let header = "Cabinet – 4 March 2019"
        let text = """
            Norfolk County Council

            Cabinet

            Date: Monday 4 March 2019
            Time: 10.00am
            Venue: Edwards Room, County Hall, Martineau Lane, Norwich NR1 2DH

            Membership
            Cllr Andrew Proctor   Chairman. Leader and Cabinet Member for Strategy and Governance
            Cllr Graham Plant   Vice-Chairman. Deputy Leader and Cabinet Member for Growing the Economy

            Agenda

            1 To receive any apologies.

            2 Minutes (Page 5)
            To confirm the minutes from the Cabinet Meeting held on Monday 4 February 2019.

            3 Declarations of Interest

            4 Finance Monitoring Report (Page 17)
            Report by the Executive Director of Finance and Commercial Services

            Chris Walton
            Head of Democratic Services
            County Hall, Martineau Lane, Norwich, NR1 2DH
            Date Agenda Published: Friday 22 February 2019

            \(header)
            Page 5

            Cabinet
            Minutes of the Meeting held on Monday 4 February 2019 at 10am in the Edwards Room, County Hall, Norwich
            Present: Cllr Andrew Proctor (Chairman)

            \(header)
            Page 6

            The minutes of the meeting held on 7 January 2019 were agreed as a correct record.

            \(header)
            Page 7
            """
        expect(parse(text), council: "Norfolk County Council", committee: "Cabinet", date: "2019-03-04", kind: .agenda)
    }

    @Test func upperCaseSummons() {
        let text = """
            WORCESTERSHIRE COUNTY COUNCIL

            CABINET

            THURSDAY 10th OCTOBER 2019
            AT 10.00 AM

            COUNCIL CHAMBER, COUNTY HALL, WORCESTER

            AGENDA

            1. Apologies and Declarations of Interest
            2. Public Participation
            3. Confirmation of the Minutes of the previous meeting held on 12 September 2019
            4. Resources Report
            """
        expect(parse(text), council: "Worcestershire County Council", committee: "Cabinet", date: "2019-10-10", kind: .agenda)
    }

    @Test func summonsToFullCouncil() {
        let text = """
            To: All Members of the County Council

            You are hereby summoned to attend a meeting of Kent County Council to be held in the Council Chamber, Sessions House, County Hall, Maidstone on Thursday, 17 October 2019 at 10.00 am.

            Benjamin Watts
            General Counsel
            9 October 2019

            AGENDA
            1. Apologies for Absence
            2. Minutes of the meeting held on 19 September 2019
            """
        expect(parse(text), council: "Kent County Council", committee: "Council", date: "2019-10-17", kind: .agenda)
    }
}

@Suite struct CabinetReportTests {
    @Test func reportWithDivisionsAndCabinetDate() {
        let text = """
            Division(s): All

            CABINET – 20 MARCH 2018

            SUPPORT FOR CARE LEAVERS

            Report by the Director for Children's Services

            Report of the Cabinet Member for Children, Education & Families

            Introduction

            1. This report sets out the Council's offer to young people leaving care.

            Recommendation

            2. The Cabinet is RECOMMENDED to approve the local offer for care leavers.

            Financial Implications

            3. The offer will be met from the existing budget.

            LUCY BUTLER
            Director for Children's Services

            Contact Officer: Jane Smith, Service Manager, jane.smith@oxfordshire.gov.uk

            March 2018
            """
        let paper = parse(text)
        expect(paper, council: "Oxfordshire County Council", committee: "Cabinet", date: "2018-03-20", kind: .report)
        #expect(paper.portfolios.contains("Children, Education & Families"))
    }

    @Test func fromToSubjectReport() {
        let text = """
            From: Peter Oakford, Cabinet Member for Finance, Corporate and Traded Services
                  Zena Cooke, Corporate Director of Finance

            To: Cabinet – 25 January 2021

            Subject: Revenue and Capital Budget Monitoring – November 2020-21

            Classification: Unrestricted

            Electoral Division: All

            Summary: This report sets out the forecast revenue and capital position for the year.

            Recommendation(s):
            Cabinet is asked to NOTE the forecast revenue budget monitoring position.

            1. Introduction
            1.1 This is the fourth budget monitoring report of the year for Kent County Council.

            Contact details
            Report Author: Cath Head, Head of Finance (Operations), cath.head@kent.gov.uk
            """
        let paper = parse(text)
        expect(paper, council: "Kent County Council", committee: "Cabinet", date: "2021-01-25", kind: .report)
        #expect(paper.portfolios.first == "Finance, Corporate and Traded Services")
    }

    @Test func reportToCommitteeWithDateOfMeeting() {
        let text = """
            Report to: Health and Wellbeing Board
            Date of meeting: 3 December 2019
            Report of: Director of Public Health
            Title: Joint Strategic Needs Assessment update
            Wards affected: All

            Purpose of report
            To update the Board on the Joint Strategic Needs Assessment.

            Background papers: none
            Date of report: 21 November 2019
            """
        expect(parse(text), council: nil, committee: "Health and Wellbeing Board", date: "2019-12-03", kind: .report)
    }
}

@Suite struct DecisionRecordTests {
    @Test func individualCabinetMemberDecision() {
        let text = """
            KENT COUNTY COUNCIL – RECORD OF DECISION

            DECISION TAKEN BY:
            Michael Payne, Cabinet Member for Highways and Transport

            DECISION NO: 21/00045

            For publication

            Key decision: Yes

            Subject: A28 Chart Road improvement scheme

            Decision: As Cabinet Member for Highways and Transport, I agree to give approval to progress the scheme.

            Reason(s) for decision: The scheme relieves congestion.

            signed: Michael Payne          date: 14 June 2021
            """
        let paper = parse(text)
        #expect(paper.metadata.council.value == "Kent County Council")
        #expect(paper.metadata.kind.value == .decisions)
        #expect(paper.metadata.date.value?.iso == "2021-06-14")
        #expect(paper.portfolios.contains("Highways and Transport"))
    }

    @Test func cabinetDecisionSummaryWithCallInDates() {
        let text = """
            CABINET

            RECORD OF DECISIONS

            Decisions taken at the meeting of the Cabinet held on Tuesday, 12th March 2019.

            Publication date: 14 March 2019
            Call-in deadline: 5.00pm on 21 March 2019

            1. Highways Capital Programme
            Cabinet Member for Highways
            Decision: That the programme be approved.

            2. Library Strategy
            Cabinet Member for Communities
            Decision: That the strategy be adopted for consultation.

            Contact: democratic.services@warwickshire.gov.uk
            """
        let paper = parse(text)
        expect(paper, council: "Warwickshire County Council", committee: "Cabinet", date: "2019-03-12", kind: .decisions)
    }
}

@Suite struct CountyMinutesTests {
    @Test func minutesHeadedByTheCommittee() {
        let text = """
            CABINET

            MINUTES of the meeting held on Tuesday, 20 March 2018 commencing at 2.00 pm and finishing at 3.15 pm

            Present:

            Voting Members: Councillor Ian Hudspeth – in the Chair

            Officers: Chief Executive, County Hall, New Road, Oxford

            26/18 MINUTES
            The minutes of the meeting held on 20 February 2018 were approved and signed as a correct record.

            27/18 QUESTIONS FROM COUNTY COUNCILLORS
            Councillor Howson had given notice of a question to the Cabinet Member for Education.

            Date of next meeting: 17 April 2018
            """
        expect(parse(text), council: "Oxfordshire County Council", committee: "Cabinet", date: "2018-03-20", kind: .minutes)
    }

    @Test func ordinalUpperCaseDateInRunningHeader() {
        let text = """
            Minutes of the Planning and Regulation Committee

            THURSDAY 10th OCTOBER 2019

            Present: Councillor Fox (Chairman), Councillors Gray and Hill.

            Planning and Regulation Committee – THURSDAY 10th OCTOBER 2019

            45. Apologies. Apologies were received from Councillor Jay.

            46. Minutes. The minutes of the meeting held on 12th September 2019 were confirmed.

            Planning and Regulation Committee – THURSDAY 10th OCTOBER 2019

            47. Application 19/0123. Resolved that permission be granted.

            Planning and Regulation Committee – THURSDAY 10th OCTOBER 2019
            """
        expect(parse(text), council: nil, committee: "Planning and Regulation Committee", date: "2019-10-10", kind: .minutes)
    }
}

@Suite struct StandingItemTests {
    @Test func sentenceCaseStandingItemsAreItems() {
        let text = """
            Cabinet

            MINUTES OF THE CABINET MEETING HELD ON 12 FEBRUARY 2019 AT COUNCIL CHAMBER - COUNTY HALL, TROWBRIDGE BA14 8JN.

            Present:
            Cllr Philip Whitehead (Chairman), Cllr Richard Clewer, Cllr Laura Mayes

            16 Apologies
            Apologies were received from Cllr Jerry Wickham.

            17 Minutes of the previous meeting
            The minutes of the meeting held on 15 January 2019 were presented.
            Resolved: To approve as a true and correct record and sign the minutes.

            18 Housing Revenue Account
            Cllr Richard Clewer, Cabinet Member for Housing, presented the report.

            (Duration of meeting: 10.00 am - 12.20 pm)
            """
        let paper = CouncilPaper.parse(text)
        expect(paper, council: "Wiltshire Council", committee: "Cabinet", date: "2019-02-12", kind: .minutes)
        let items = paper.items.filter { !$0.isFrontMatter }
        #expect(items.map(\.title) == ["16. Apologies", "17. Minutes of the previous meeting", "18. Housing Revenue Account"])
        #expect(items.map(\.portfolios) == [[], [], ["Housing"]])
    }
}

/// Papers as websites and exports flatten them, and the headings that
/// ModernGov and parish clerks write (forms seen on real councils' pages,
/// with names and words of our own).
@Suite struct FlattenedAndModernGovTests {
    @Test func parishMinutesFlattenedIntoOneParagraph() {
        // A website export: front matter, then the whole record in one line.
        let text = """
            ---
            title: "Wereham Parish Council Meeting March"
            date: "2021-04-20"
            categories:
              - "parish-councils"
            ---

            WEREHAM PARISH COUNCIL Draft (until approved at the next meeting) Minutes of the Ordinary Meeting held on Wednesday 3 March 2021 at 7.00 pm, virtually via Zoom Present: Cllr A Fenton (Chair) Cllr B Rudd (Vice-Chair) Cllr C Moss Cllr D Hale Mrs E Pike (Parish Clerk) Also in Attendance Cllr F Storr, Norfolk County Council (from item 31/21) 30/21 Apologies for Absence Apologies were received and accepted from Cllr G Lowe. Cllr H Quinn, Borough Council of King's Lynn and West Norfolk, had sent apologies. 31/21 Declarations of Interest There were none. 32/21 To Approve the Minutes of the Ordinary Meeting held on 3 February 2021 RESOLVED: That the minutes of the Ordinary Meeting held on 3 February 2021 be approved. 33/21 County Councillor's Report Cllr Storr reported that Norfolk County Council would resurface Flegg Green in the summer and that the verge cutting would start in May. 34/21 Planning The Council had no objection to application 21/00211/F for a rear extension at 4 Church Road. 35/21 Finance The payments listed were approved and the bank reconciliation was signed by the Chair. 36/21 Date of the next meeting The next meeting will be held on Wednesday 7 April 2021 at 7.00 pm.
            """
        let paper = parse(text)
        expect(paper, council: "Wereham Parish Council", committee: "Council", date: "2021-03-03", kind: .minutes)
    }

    @Test func modernGovMeetingPageHeading() {
        let text = """
            Agenda and minutes

            Cabinet - Monday, 14th October, 2013 10.00 am

            Venue: Darent Room, Sessions House, County Hall, Maidstone

            Contact: Democratic Services (01622) 694367

            Items
            No. Item

            1. Apologies

            Minutes: Apologies were received from the Leader.

            2. Minutes of the Meeting held on 16 September 2013

            Minutes: The minutes of the meeting held on 16 September 2013 were agreed and signed by the Chairman as a true record.
            """
        expect(parse(text), council: "Kent County Council", committee: "Cabinet", date: "2013-10-14", kind: .minutes)
    }

    @Test func recordsOfDecisionNameTheirMaker() {
        let maker = parse("""
            Decision details

            Highways Asset Management Plan

            Decision Maker: Cabinet

            Decision status: Recommendations Approved

            Date of decision: 23/07/2013

            Publication date: 25/07/2013

            Decision: That the plan be approved.
            """)
        #expect(maker.metadata.committee.value == "Cabinet", "\(maker.metadata.committee.source)")
        #expect(maker.metadata.date.value?.iso == "2013-07-23", "\(maker.metadata.date.source)")
        let decided = parse("""
            Issue - decisions

            Library Service Review

            Decided at meeting: 16/10/2013 - Cabinet

            RESOLVED that the consultation responses be noted and the new opening hours be approved.
            """)
        #expect(decided.metadata.committee.value == "Cabinet", "\(decided.metadata.committee.source)")
    }

    @Test func anotherBodysMinutesInTheAgendaAreNotItsCommittee() {
        let text = """
            Cabinet - Wednesday, 19th June, 2024 10.00 am

            Venue: Oak Room, County Buildings, Stafford

            1. Decision notice of the meeting held on 15 May 2024

            2. Minutes of the meeting of the Property Sub-Committee held on 5 June 2024

            RESOLVED – That the minutes of the meeting of the Property Sub-Committee held on 5 June 2024 be received.

            3. Medium Term Financial Strategy 2025-2030

            Cabinet received a report on the financial outlook.
            """
        let paper = parse(text)
        #expect(paper.metadata.committee.value == "Cabinet", "\(paper.metadata.committee.source)")
        #expect(paper.metadata.date.value?.iso == "2024-06-19", "\(paper.metadata.date.source)")
    }

    @Test func theElectorsAnnualMeetingIsNotTheCouncil() {
        let apm = parse("""
            MINUTES OF THE ANNUAL PARISH MEETING OF STOKE FERRY HELD ON WEDNESDAY 13 MAY 2015 AT 7.00 PM IN THE VILLAGE HALL

            Present: the Chairman of the Parish Council, four councillors and nine electors.

            1. The Chairman's report on the year was received.
            """)
        #expect(apm.metadata.committee.value == "Annual Parish Meeting", "\(apm.metadata.committee.source)")
        let council = parse("""
            WEST DEREHAM PARISH COUNCIL

            Minutes of the meeting held on Thursday 3 December 2015 at 7.30 pm in the Village Hall

            Present: five councillors and the Clerk.

            1. The Annual Parish Meeting will be on Thursday 14 April 2016 at 7.00 pm.
            """)
        #expect(council.metadata.committee.value == "Council", "\(council.metadata.committee.source)")
        #expect(council.metadata.date.value?.iso == "2015-12-03", "\(council.metadata.date.source)")
    }

    @Test func aCouncilsNameOverItsMeetingsDate() {
        let text = """
            Norfolk County Council

            Date: Monday 12 February 2018

            Time: 10.00 am

            Venue: Council Chamber, County Hall, Martineau Lane, Norwich

            Agenda

            1. To receive any apologies.

            2. To confirm the minutes of the meeting held on 11 December 2017.

            3. Revenue Budget 2018-19 and Medium Term Financial Strategy.
            """
        expect(parse(text), council: "Norfolk County Council", committee: "Council", date: "2018-02-12", kind: .agenda)
    }

    @Test func headingsThatCarryTheDate() {
        let dotted = parse("""
            Cabinet. Wednesday, 30 January 2019

            Attendees: Councillor Barlow, Councillor Bourne, Councillor Cory

            Minutes of the meeting were confirmed.
            """)
        #expect(dotted.metadata.committee.value == "Cabinet", "\(dotted.metadata.committee.source)")
        let titled = parse("""
            ---
            title: Minutes Annual Parish Council Meeting 11th May 2011
            date: 2011-06-20
            ---

            Minutes Annual Parish Council Meeting 11th May 2011

            Held at the School on Wednesday, 11th May 2011, starting at 7.15pm

            1. Election of Chairman: Cllr Ward was elected, proposed by Cllr Lane and seconded by Cllr Fox.
            """)
        #expect(titled.metadata.committee.value == "Council", "\(titled.metadata.committee.source)")
        #expect(titled.metadata.date.value?.iso == "2011-05-11", "\(titled.metadata.date.source)")
    }

    @Test func ordinaryLongParagraphsAreNotSplit() {
        // A report's long paragraph: no heading in capitals, no "Present:",
        // no numbered minutes in it.
        let sentence = "The Council has continued to review the home care market and the contracts it holds with providers, which were let in 2015 for five years. "
        let line = TextLines.split(String(repeating: sentence, count: 8))
        #expect(line.count == 1)
        let flattened = TextLines.split("WEREHAM PARISH COUNCIL Minutes of the meeting held on 3 March 2021. Present: Cllr A Fenton. " + String(repeating: sentence, count: 6))
        #expect(flattened.count > 3)
        #expect(flattened.first?.text == "WEREHAM PARISH COUNCIL")
        #expect(Set(flattened.map(\.number)) == [0])
    }
}

/// A website's page: its front matter's title names the meeting, its date
/// says when the page was posted.
@Suite struct WebsitePageTests {
    private func read(_ markdown: String) throws -> CouncilPaper {
        let source = try DocumentReader().decode(Data(markdown.utf8), format: .markdown)
        return CouncilPaper.parse(source)
    }

    @Test func theTitleNamesTheCouncilAndTheDayTheYearComesFromThePosting() throws {
        let paper = try read("""
            ---
            title: "Minutes of a meeting of Stoke Ferry Parish Council held in the Community Centre at 7.30pm on Wednesday 15th December"
            date: "2005-01-01"
            ---

            PRESENT: Cllrs Smith (Chairman), Jones, Brown and the Clerk.

            1. APOLOGIES were received from Cllr White.

            2. MATTERS ARISING. The clerk has written to the highways department about the verges.

            Next meeting: Wednesday 26th January 2005.
            """)
        #expect(paper.metadata.council.value == "Stoke Ferry Parish Council", "\(paper.metadata.council.source)")
        #expect(paper.metadata.date.value?.iso == "2004-12-15", "\(paper.metadata.date.source)")
        #expect(paper.metadata.committee.value == "Council", "\(paper.metadata.committee.source)")
    }

    @Test func aMisprintedYearIsMendedByThePostingYear() throws {
        let paper = try read("""
            ---
            title: "Wretton Parish Council January Meeting"
            date: "2016-02-01"
            ---

            WRETTON PARISH COUNCIL

            Minutes of the meeting held on MONDAY JANUARY 4th 2015 at 7.30 pm in the Village Hall.

            Present: four councillors and the clerk.
            """)
        #expect(paper.metadata.date.value?.iso == "2016-01-04", "\(paper.metadata.date.source)")
    }

    @Test func approvalAtTheNextMeetingAndBoldInsideAWord() throws {
        let subject = try read("""
            ---
            title: "Stoke Ferry Parish Council, minutes of May Meeting"
            date: "2018-07-29"
            ---

            STOKE FERRY PARISH COUNCIL Draft Minutes Subject to the Approval at the next Meeting Annual Meeting of the Parish Council Wednesday 2 May 2018 at 7.20 pm Stoke Ferry Village Hall

            Present: Cllr A Lane (Chair), Cllr B Cole, Cllr C Dyer. Also in attendance: Cllr D Storr Norfolk County Council.

            90/18 Election of Chair. Cllr Lane was elected.

            91/18 Date of the next meeting: Wednesday 6 June 2018 at 7.30 pm; the Annual Parish Meeting will be on Sunday 13 May at 2 pm.
            """)
        #expect(subject.metadata.date.value?.iso == "2018-05-02", "\(subject.metadata.date.source)")
        #expect(subject.metadata.council.value == "Stoke Ferry Parish Council", "\(subject.metadata.council.source)")
        let bold = try read("""
            ---
            title: "Wereham Parish Council Annual Meeting"
            date: "2012-06-08"
            ---

            **WEREHAM PARISH COUNCIL**

            **Draft minutes of the Annual Meeting of the Parish Council held on Tuesday 8****th** **May 2012 at 7.00pm in Wereham village hall**

            Present: five councillors.
            """)
        #expect(bold.metadata.date.value?.iso == "2012-05-08", "\(bold.metadata.date.source)")
        #expect(bold.metadata.council.value == "Wereham Parish Council", "\(bold.metadata.council.source)")
    }

    @Test func aPlaceEndingInOldIsNotAFormerCouncil() throws {
        let paper = try read("""
            NORTHWOLD PARISH COUNCIL

            Minutes of the Annual Meeting of Northwold Parish Council held on Tuesday 10 May 2016 at 7.00 pm

            Present: Cllr R Crisp (Chair), Cllr A Collins.
            """)
        #expect(paper.metadata.council.value == "Northwold Parish Council", "\(paper.metadata.council.source)")
    }
}

/// County councils' cabinet papers in the forms their front sheets take
/// (written for these tests in those forms, names and figures our own).
@Suite struct CabinetPaperFormsTests {
    private func portfolios(_ paper: CouncilPaper) -> [[String]] { paper.items.filter { !$0.isFrontMatter }.map(\.portfolios) }

    @Test func reportWithResponsibleCabinetMember() {
        let paper = parse("""
                                                                                Cabinet
                                                                                Item No: 10

            Report Title: Finance Monitoring Report 2019-20 P9: December 2019

            Date of Meeting: 3 February 2020

            Responsible Cabinet Member: Cllr Andrew Jamieson (Cabinet Member for Finance)

            Responsible Director: Simon George, Executive Director of Finance and Commercial Services

            Is this a key decision? No

            Introduction from Cabinet Member
            This report gives a summary of the forecast financial position for the 2019-20 Revenue and Capital Budgets.

            Executive Summary
            Subject to mitigating actions, on a net budget of £409.3m, the forecast is a balanced position.

            Recommendations:
            Cabinet is recommended to note the period 9 forecast general balances.

            Officer Contact
            If you have any questions about matters contained in this paper please get in touch with:
            Officer name: Harvey Bullen    Tel No.: 01603 223330    Email address: harvey.bullen@norfolk.gov.uk
            """)
        expect(paper, council: "Norfolk County Council", committee: "Cabinet", date: "2020-02-03", kind: .report)
        #expect(paper.items.allSatisfy { $0.isFrontMatter || $0.portfolios == ["Finance"] }, "\(portfolios(paper))")
        #expect(!portfolios(paper).isEmpty)
    }

    @Test func decisionReportWithItsMaker() {
        expect(parse("""
            HAMPSHIRE COUNTY COUNCIL

            Decision Report

            Decision Maker:     Cabinet
            Date:               10 February 2020
            Title:              Revenue Budget and Precept 2020/21
            Report From:        Director of Corporate Resources – Corporate Services

            Contact name: Rob Carr
            Tel: 01962 847508          Email: rob.carr@hants.gov.uk

            Purpose of this Report
            1. The purpose of this report is to set out proposals for the revenue budget and precept for 2020/21.

            Recommendations
            2. That Cabinet recommends to County Council that the budget be approved.
            """), council: "Hampshire County Council", committee: "Cabinet", date: "2020-02-10", kind: .report)
    }

    @Test func reportOfACabinetMemberInCapitals() {
        let paper = parse("""
            SURREY COUNTY COUNCIL

            CABINET

            DATE:         28 JANUARY 2020

            REPORT OF:    MR MEL FEW, CABINET MEMBER FOR FINANCE

            LEAD OFFICER: LEIGH WHITEHOUSE, EXECUTIVE DIRECTOR OF RESOURCES

            SUBJECT:      2020/21 FINAL BUDGET AND MEDIUM-TERM FINANCIAL STRATEGY TO 2024/25

            ORGANISATION STRATEGY PRIORITY AREA: EMPOWERED AND THRIVING COMMUNITIES

            SUMMARY OF ISSUE:
            This report sets out the final budget for 2020/21 for approval by Council on 4 February 2020.

            RECOMMENDATIONS:
            It is recommended that Cabinet recommends the budget to the County Council.
            """)
        expect(paper, council: "Surrey County Council", committee: "Cabinet", date: "2020-01-28", kind: .report)
        #expect(paper.items.filter { !$0.isFrontMatter }.allSatisfy { $0.portfolios == ["Finance"] }, "\(portfolios(paper))")
    }

    @Test func reportToTheCabinet() {
        expect(parse("""
            Report to the Cabinet
            Meeting to be held on Thursday, 9 January 2020

            Report of the Director of Highways and Transport

            Part I

            Electoral Divisions affected:
            All

            Highways Capital Programme 2020/21
            (Appendices 'A' and 'B' refer)

            Contact for further information:
            Andrew Mullaney, Tel: (01772) 533631, Highways Network Manager
            andrew.mullaney@lancashire.gov.uk

            Executive Summary
            This report sets out the proposed highways capital programme for 2020/21.

            Recommendation
            Cabinet is asked to approve the programme set out at Appendix 'A'.
            """), council: "Lancashire County Council", committee: "Cabinet", date: "2020-01-09", kind: .report)
    }

    @Test func reportWithItsAuthorTheCabinetMember() {
        let paper = parse("""
            Forward Plan reference number: FP/531/10/19

            Report title: Essex Highways Maintenance Strategy

            Report to: Cabinet

            Report author: Councillor Kevin Bentley, Cabinet Member for Infrastructure

            Date: 21 January 2020          For: Decision

            Enquiries to: Andrew Cook, Director, Highways and Transportation, email andrew.cook@essex.gov.uk

            County Divisions affected: All Essex

            1. Purpose of Report
            1.1 This report seeks approval of the Highways Maintenance Strategy.
            """)
        expect(paper, council: "Essex County Council", committee: "Cabinet", date: "2020-01-21", kind: .report)
        #expect(paper.portfolios.first == "Infrastructure")
    }

    @Test func reportWithDivisionsAndTheMeetingInItsHeading() {
        expect(parse("""
                                                                              Division(s): All

                                CABINET – 17 MARCH 2020

                                HOME TO SCHOOL TRANSPORT POLICY 2020/21

                             Report by Corporate Director for Children's Services

            RECOMMENDATION

            1. The Cabinet is RECOMMENDED to approve the Home to School Transport Policy 2020/21.

            Executive Summary

            2. The Council has a statutory duty to provide free home to school transport for eligible pupils. Oxfordshire County Council reviews its policy every year.
            """), council: "Oxfordshire County Council", committee: "Cabinet", date: "2020-03-17", kind: .report)
    }

    @Test func cabinetMinutesWithTheMemberIntroducingTheItem() {
        let paper = parse("""
            Cabinet
            Minutes of the Meeting Held on Monday 3 February 2020 at 10am in the Edwards Room, County Hall, Norwich

            Present:
            Cllr Andrew Proctor        Chairman. Leader and Cabinet Member for Strategy & Governance.
            Cllr Graham Plant          Vice-Chairman. Deputy Leader and Cabinet Member for Growing the Economy.
            Cllr Bill Borrett          Cabinet Member for Adult Social Care, Public Health & Prevention
            Cllr Andrew Jamieson       Cabinet Member for Finance

            1     Minutes from the meeting held on 13 January 2020
            1.1   Cabinet agreed the minutes of the meeting held on 13 January 2020 as an accurate record and they were signed by the Chairman.

            2     Declarations of Interest
            2.1   There were no declarations of interest.

            3     Finance Monitoring Report 2019-20 P9: December 2019
            3.1   Cabinet received the report by the Executive Director of Finance and Commercial Services.
            3.2   The Cabinet Member for Finance introduced the report, which set out the forecast financial position.
            3.3   Cabinet RESOLVED to note the forecast.
            """)
        expect(paper, council: "Norfolk County Council", committee: "Cabinet", date: "2020-02-03", kind: .minutes)
        #expect(paper.items.map(\.title) == ["Cabinet minutes, 3 February 2020 (front matter)", "1. Minutes from the meeting held on 13 January 2020",
                                             "2. Declarations of Interest", "3. Finance Monitoring Report 2019-20 P9: December 2019"])
        #expect(portfolios(paper) == [[], [], ["Finance"]])
    }

    @Test func agendaWithSpacedHeadingAndPageColumn() {
        let paper = parse("""
            Cabinet

            Date: Monday 3 February 2020

            Time: 10am

            Venue: Edwards Room, County Hall, Martineau Lane, Norwich, NR1 2DH

            Membership
            Cllr Andrew Proctor       Chairman. Leader and Cabinet Member for Strategy & Governance.
            Cllr Andrew Jamieson      Cabinet Member for Finance

            For further details and general enquiries about this Agenda please contact the Committee Officer:
            Julie Mortimer on 01603 223055 or committees@norfolk.gov.uk

            A g e n d a

            1     To receive any apologies.
            2     Minutes                                                                   Page 5
                  To confirm the minutes from the Cabinet Meeting held on 13 January 2020
            3     Finance Monitoring Report 2019-20 P9: December 2019                       Page 40
                  Report by the Executive Director of Finance and Commercial Services
            """)
        expect(paper, council: "Norfolk County Council", committee: "Cabinet", date: "2020-02-03", kind: .agenda)
        #expect(paper.items.filter { !$0.isFrontMatter }.map(\.title) == ["1. To receive any apologies.", "2. Minutes",
                                                                           "3. Finance Monitoring Report 2019-20 P9: December 2019"])
    }
}

/// More headings as councils' pages write them.
@Suite struct MoreHeadingFormsTests {
    @Test func aFlattenedFrontSheetOfTheFullCouncil() {
        let text = "Norfolk County Council Date: Monday 12 February 2018 Time: 10.00 am Venue: Council Chamber, County Hall, Martineau Lane, Norwich Persons attending the meeting are requested to turn off mobile phones. This meeting may be recorded for publication on the Council's website. At the start of the meeting the Chairman will confirm whether it is being recorded. You should be aware that the Council is a Data Controller under the Data Protection Act. Agenda 1. To receive any apologies. 2. To confirm the minutes of the meeting held on 11 December 2017. 3. Revenue Budget 2018-19 and Medium Term Financial Strategy 2018-22. 4. Questions to Cabinet Members."
        let paper = parse(text)
        expect(paper, council: "Norfolk County Council", committee: "Council", date: "2018-02-12", kind: .agenda)
    }

    @Test func kindOfMeetingThenTheBody() {
        let agm = parse("""
            Agenda and minutes

            Annual General Meeting, County Council
            Thursday, 11th April, 2019 10.00 am

            Venue: County Hall, Kendal

            1. Roll Call of Members
            """)
        #expect(agm.metadata.committee.value == "Council", "\(agm.metadata.committee.source)")
        let decision = parse("""
            View Cabinet Decision Record

            Cabinet Decision: 18th October 2018

            Title of Item/Report
            Children's Services Progress Update: Quarter 1

            Record of the Decision
            Consideration was given to a report that provided a summary of performance.
            """)
        #expect(decision.metadata.committee.value == "Cabinet", "\(decision.metadata.committee.source)")
        #expect(decision.metadata.kind.value == .decisions, "\(decision.metadata.kind.source)")
    }

    @Test func aParishCouncilsOwnMinutesAndItsAbbreviatedTitle() throws {
        let source = try DocumentReader().decode(Data("""
            ---
            title: "Northwold PC December Meeting"
            date: "2016-02-18"
            ---

            Councillors present: Cllr. R. Crisp – Chair, Cllr. A. Collins, Cllr. F. Eglington. Present: the Clerk.

            Local Authority Reports: Norfolk County Council Cllr. Martin Storey sent his apologies. No report sent.

            The Chair welcomed all to the meeting; the minutes of the November meeting were approved.
            """.utf8), format: .markdown)
        let paper = CouncilPaper.parse(source)
        #expect(paper.metadata.council.value == "Northwold Parish Council", "\(paper.metadata.council.source)")
        #expect(paper.metadata.committee.value == "Council", "\(paper.metadata.committee.source)")
    }
}

@Suite struct MorePageFormsTests {
    @Test func theKindOfMeetingBetweenThePlaceAndTheCouncil() {
        let paper = parse("""
            Here are the minutes of the West Dereham Annual Parish Council Meeting

            Minutes of the West Dereham Annual Parish Council meeting held on Thursday 31st May 2007 following the Parish Meeting

            Present: Cllrs Cann (Chairman), Bullas, Hunt and the Clerk.
            """)
        #expect(paper.metadata.council.value == "West Dereham Parish Council", "\(paper.metadata.council.source)")
        #expect(paper.metadata.date.value?.iso == "2007-05-31", "\(paper.metadata.date.source)")
    }

    @Test func anItemPageOfMinutes() {
        let paper = parse("""
            Issue - meetings

            Children's Care and Support Improvement Programme

            Meeting: 16/07/2019 - Cabinet (Item 34)

            34 Children's Care and Support Improvement Programme pdf icon PDF 427 KB

            The Cabinet Member for Social Care and Health Integration presented a report on the improvement programme.

            The Cabinet resolved to approve the programme.
            """)
        #expect(paper.metadata.kind.value == .minutes, "\(paper.metadata.kind.source)")
        #expect(paper.metadata.committee.value == "Cabinet", "\(paper.metadata.committee.source)")
        #expect(paper.portfolios == ["Social Care and Health Integration"])
    }

    @Test func anItemOnTheAgendaAboutEarlierMinutesIsNotTheDate() {
        let paper = parse("""
            Agenda and minutes

            Monday, 28th January, 2019 10.00 am

            Venue: Darent Room, Sessions House, County Hall, Maidstone

            Minutes of the Meeting held on 3 December 2018 pdf icon PDF 130 KB

            RESOLVED that the minutes of the meeting held on 3 December 2018 were correctly recorded and that they be signed by the Chairman.
            """)
        #expect(paper.metadata.date.value?.iso == "2019-01-28", "\(paper.metadata.date.source)")
    }
}

@Suite struct GluedTextTests {
    @Test func datesWhoseSpacesAPDFLost() {
        let agenda = parse("""
            AGENDA for a meeting of the HIGHWAYS AND TRANSPORT CABINET PANEL in the
            Ashbourne Room, County Hall, Hertford on Tuesday11JANUARY 2011at 10.00 am.

            1. MINUTES OF LAST PANEL MEETING
            To confirm the minutes of the Panel meeting held on 9November 2010.
            """)
        #expect(agenda.metadata.date.value?.iso == "2011-01-11", "\(agenda.metadata.date.source)")
        #expect(MetadataExtractor.spacedDigits("held on16 May 2023")?.text == "held on 16 May 2023")
        #expect(MetadataExtractor.spacedDigits("the A4440 and the 11th of May") == nil)
    }
}
