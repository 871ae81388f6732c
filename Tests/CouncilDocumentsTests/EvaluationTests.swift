import Foundation
import Testing
@testable import CouncilDocuments

/// The hand-labelled evaluation set (Evaluation/labels.jsonl) as a
/// regression test: each field's accuracy must stay at or above a floor set
/// a little below what the extractor measured when the floor was set. The
/// Limerick and Cleveland papers live outside the repository (../shared/corpora
/// or $COUNCIL_CORPORA); without them only the seed papers are measured.
enum EvaluationFixture {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let labelsPath = URL(fileURLWithPath: repositoryRoot).appendingPathComponent("Evaluation/labels.jsonl").path
    static let corporaRoot = Evaluator.defaultCorporaRoot(repositoryRoot: repositoryRoot)

    /// Whether the external corpora are here.
    static var corporaAvailable: Bool {
        var isDirectory: ObjCBool = false
        return ["limerick", "cleveland"].allSatisfy {
            FileManager.default.fileExists(atPath: URL(fileURLWithPath: corporaRoot).appendingPathComponent($0).path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }
    }

    static func labels() throws -> [EvaluationLabel] {
        try EvaluationLabel.load(path: labelsPath)
    }

    static var evaluator: Evaluator { Evaluator(repositoryRoot: repositoryRoot, corporaRoot: corporaRoot) }
}

@Suite struct EvaluationTests {
    /// Accuracy floors per field, set just below the figures measured on
    /// the 173 labelled papers (council 95.4%, committee 98.8%, date 98.8%,
    /// kind 98.8%, portfolios 100%).
    static let floors: [EvaluationField: Double] = [
        .council: 0.94, .committee: 0.975, .date: 0.975, .kind: 0.975, .portfolios: 0.99,
    ]

    @Test(.enabled(if: EvaluationFixture.corporaAvailable, "needs the labelled corpora (../shared/corpora or $COUNCIL_CORPORA)"))
    func labelledPapersStayAboveTheirFloors() throws {
        let labels = try EvaluationFixture.labels()
        #expect(labels.count == 173)
        let report = EvaluationFixture.evaluator.run(labels)
        #expect(report.unreadable.isEmpty, "\(report.unreadable.map { "\($0.path): \($0.error)" })")
        for (field, floor) in EvaluationTests.floors {
            let score = try #require(report.fields[field])
            #expect(score.accuracy >= floor, "\(field.rawValue): \(score.correct)/\(score.labelled) below the floor \(floor)")
        }
        // It stays fast enough to run on every change.
        #expect(report.seconds < 60)
    }

    @Test func seedPapersAreAllRight() throws {
        let labels = try EvaluationFixture.labels().filter { $0.path.hasPrefix("Corpus/") }
        #expect(labels.count == 5)
        let report = EvaluationFixture.evaluator.run(labels)
        #expect(report.unreadable.isEmpty)
        #expect(report.mismatches.isEmpty, "\(report.mismatches.map { "\($0.path) \($0.field): \($0.expected ?? "null") ≠ \($0.got ?? "null")" })")
    }
}

@Suite struct EvaluationScoringTests {
    private func write(_ text: String, name: String, in dir: URL) throws {
        try Data(text.utf8).write(to: dir.appendingPathComponent(name))
    }

    @Test func labelsDistinguishNullFromNotLabelled() throws {
        let labels = try EvaluationLabel.parse(jsonLines: """
            {"path": "a.txt", "council": "Kent County Council", "committee": null, "date": "2019-03-12", "kind": "minutes", "portfolios": ["Finance"]}
            # a comment
            {"path": "b.txt", "council": null}
            """)
        #expect(labels.count == 2)
        #expect(labels[0].labelled == [.council, .committee, .date, .kind, .portfolios])
        #expect(labels[0].date == CalendarDate(year: 2019, month: 3, day: 12))
        #expect(labels[1].labelled == [.council])
        #expect(labels[1].council == nil)
    }

    @Test func badLabelsSayWhereAndWhy() {
        #expect(throws: EvaluationError("labels:1: \"date\" must be YYYY-MM-DD, not “12/03/2019”")) {
            try EvaluationLabel.parse(jsonLines: #"{"path": "a.txt", "date": "12/03/2019"}"#)
        }
        #expect(throws: EvaluationError("labels:2: no \"path\"")) {
            try EvaluationLabel.parse(jsonLines: "{\"path\": \"a.txt\"}\n{\"council\": null}")
        }
        #expect(throws: EvaluationError("labels:1: \"kind\" must be one of agenda, minutes, report, decisions, not “notes”")) {
            try EvaluationLabel.parse(jsonLines: #"{"path": "a.txt", "kind": "notes"}"#)
        }
    }

    @Test func scoresAccuracyCoverageAndPrecision() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evaluation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try write("""
            KENT COUNTY COUNCIL

            CABINET

            Minutes of the meeting held on Monday, 25 January 2021 at 10.00 am.

            Present: Mr R Gough (Leader)
            """, name: "minutes.txt", in: dir)
        try write("The weather was discussed at length.", name: "nothing.txt", in: dir)
        let labels = try EvaluationLabel.parse(jsonLines: """
            {"path": "minutes.txt", "council": "kent county council", "committee": "Cabinet", "date": "2021-01-25", "kind": "minutes"}
            {"path": "nothing.txt", "council": null, "committee": "Cabinet", "date": null, "kind": "minutes"}
            {"path": "missing.txt", "council": null, "kind": "agenda"}
            """)
        let report = Evaluator(repositoryRoot: dir.path, corporaRoot: dir.path).run(labels)
        #expect(report.documents == 3)
        #expect(report.unreadable.map(\.path) == ["missing.txt"])
        // Names compare regardless of case; a right null counts as right.
        let council = try #require(report.fields[.council])
        #expect((council.labelled, council.correct, council.predicted, council.correctPredicted) == (3, 3, 1, 1))
        // A null prediction for a labelled value is wrong.
        let committee = try #require(report.fields[.committee])
        #expect((committee.labelled, committee.correct, committee.predicted) == (2, 1, 1))
        #expect(committee.accuracy == 0.5)
        #expect(committee.coverage == 0.5)
        #expect(committee.precision == 1)
        let kind = try #require(report.fields[.kind])
        #expect((kind.labelled, kind.correct) == (3, 1))
        #expect(report.mismatches.contains { $0.path == "nothing.txt" && $0.field == .committee && $0.got == nil })
        #expect(report.fields[.portfolios] == nil)
        #expect(report.bySource["minutes.txt"]?[.date]?.correct == 1)
    }

    @Test func portfoliosCompareAsSets() {
        #expect(Evaluator.matches(.portfolios, expected: "Finance; Children, Education & Families",
                                  got: "Children Education and Families; Finance"))
        #expect(!Evaluator.matches(.portfolios, expected: "Finance", got: "Finance; Highways"))
        #expect(Evaluator.matches(.committee, expected: "Municipal District of Newcastle West Joint Policing Sub-Committee",
                                  got: "Municipal District of Newcastle West Joint Policing Sub Committee"))
        #expect(Evaluator.matches(.date, expected: nil, got: nil))
        #expect(!Evaluator.matches(.date, expected: nil, got: "2019-01-01"))
    }
}
