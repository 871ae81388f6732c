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
