import Foundation

/// The metadata fields a labelled paper is scored on.
public enum EvaluationField: String, Sendable, CaseIterable, Codable {
    case council, committee, date, kind, portfolios
}

/// What a person found in one paper by reading it: the truth that the
/// extractor is measured against. A field that is labelled `nil` means the
/// paper does not say (then only a `nil` prediction is right); a field that
/// is not labelled at all is not scored.
public struct EvaluationLabel: Sendable, Equatable {
    /// Where the paper is: "Corpus/..." (from the repository root) or
    /// relative to the corpora root ("limerick/meetings/...").
    public var path: String
    public var council: String?
    public var committee: String?
    public var date: CalendarDate?
    public var kind: DocumentKind?
    /// The portfolios the paper's items fall under.
    public var portfolios: [String]?
    /// The fields this label gives a value (or `null`) for.
    public var labelled: Set<EvaluationField>
    public var note: String?

    public init(path: String, council: String? = nil, committee: String? = nil, date: CalendarDate? = nil,
                kind: DocumentKind? = nil, portfolios: [String]? = nil,
                labelled: Set<EvaluationField> = [.council, .committee, .date, .kind], note: String? = nil) {
        self.path = path
        self.council = council
        self.committee = committee
        self.date = date
        self.kind = kind
        self.portfolios = portfolios
        self.labelled = labelled
        self.note = note
    }
}

/// Why a labels file could not be used.
public struct EvaluationError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

// MARK: - Labels

extension EvaluationLabel {
    /// Read labels from JSON Lines: one object per line, `{"path", "council",
    /// "committee", "date": "YYYY-MM-DD", "kind", "portfolios": [...],
    /// "note"}`. Blank lines and lines starting with `#` are skipped.
    public static func parse(jsonLines text: String, source: String = "labels") throws(EvaluationError) -> [EvaluationLabel] {
        var labels: [EvaluationLabel] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let at = "\(source):\(index + 1)"
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
                throw EvaluationError("\(at): not a JSON object")
            }
            guard let path = object["path"] as? String, !path.isEmpty else { throw EvaluationError("\(at): no \"path\"") }
            var label = EvaluationLabel(path: path, labelled: [])
            label.note = object["note"] as? String
            func string(_ key: EvaluationField) throws(EvaluationError) -> String? {
                guard let value = object[key.rawValue] else { return nil }
                label.labelled.insert(key)
                if value is NSNull { return nil }
                guard let s = value as? String else { throw EvaluationError("\(at): \"\(key.rawValue)\" must be a string or null") }
                return s
            }
            label.council = try string(.council)
            label.committee = try string(.committee)
            if let iso = try string(.date) {
                guard let date = CalendarDate(iso: iso) else { throw EvaluationError("\(at): \"date\" must be YYYY-MM-DD, not “\(iso)”") }
                label.date = date
            }
            if let kind = try string(.kind) {
                guard let value = DocumentKind(rawValue: kind) else {
                    throw EvaluationError("\(at): \"kind\" must be one of \(DocumentKind.allCases.map(\.rawValue).joined(separator: ", ")), not “\(kind)”")
                }
                label.kind = value
            }
            if let value = object[EvaluationField.portfolios.rawValue] {
                label.labelled.insert(.portfolios)
                if value is NSNull {
                    label.portfolios = []
                } else if let list = value as? [String] {
                    label.portfolios = list
                } else {
                    throw EvaluationError("\(at): \"portfolios\" must be a list of strings")
                }
            }
            labels.append(label)
        }
        return labels
    }

    public static func load(path: String) throws(EvaluationError) -> [EvaluationLabel] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw EvaluationError("\(path): cannot read the labels (\(DocumentReader.describe(error)))")
        }
        return try parse(jsonLines: text, source: path)
    }
}

// MARK: - Scoring

/// How the extractor did on one field.
public struct FieldScore: Sendable, Equatable {
    /// Papers with this field labelled (unreadable ones included).
    public var labelled = 0
    /// Predictions equal to the label (a `nil` prediction is right only
    /// when the label is `nil`).
    public var correct = 0
    /// Predictions that are not `nil`.
    public var predicted = 0
    /// Predictions that are not `nil` and right.
    public var correctPredicted = 0

    public init() {}

    /// correct / labelled.
    public var accuracy: Double { labelled == 0 ? 0 : Double(correct) / Double(labelled) }
    /// Non-`nil` predictions / labelled.
    public var coverage: Double { labelled == 0 ? 0 : Double(predicted) / Double(labelled) }
    /// Right predictions among the non-`nil` ones.
    public var precision: Double { predicted == 0 ? 0 : Double(correctPredicted) / Double(predicted) }
}

/// A field whose prediction differs from its label.
public struct Mismatch: Sendable, Equatable {
    public let path: String
    public let field: EvaluationField
    public let expected: String?
    public let got: String?
    /// Where the extractor found what it predicted.
    public let evidence: String
}

/// The figures of one evaluation run.
public struct EvaluationReport: Sendable {
    public var documents = 0
    /// Papers that could not be read, with why.
    public var unreadable: [(path: String, error: String)] = []
    public var fields: [EvaluationField: FieldScore] = [:]
    public var mismatches: [Mismatch] = []
    /// The same figures per first path component ("Corpus", "limerick", ...).
    public var bySource: [String: [EvaluationField: FieldScore]] = [:]
    public var seconds = 0.0

    public init() {}

    /// Fields that any label scores, in the canonical order.
    public var scoredFields: [EvaluationField] {
        EvaluationField.allCases.filter { (fields[$0]?.labelled ?? 0) > 0 }
    }
}

/// Runs the extractor over labelled papers and compares.
public struct Evaluator: Sendable {
    /// Where "Corpus/..." paths are found.
    public var repositoryRoot: String
    /// Where every other labelled path is found.
    public var corporaRoot: String
    public var gazetteer: Gazetteer

    public init(repositoryRoot: String, corporaRoot: String, gazetteer: Gazetteer = .uk) {
        self.repositoryRoot = repositoryRoot
        self.corporaRoot = corporaRoot
        self.gazetteer = gazetteer
    }

    /// The corpora root when none is given: `$COUNCIL_CORPORA`, else
    /// `../shared/corpora` beside the repository.
    public static func defaultCorporaRoot(repositoryRoot: String) -> String {
        if let env = ProcessInfo.processInfo.environment["COUNCIL_CORPORA"], !env.isEmpty { return env }
        let url = URL(fileURLWithPath: repositoryRoot).appendingPathComponent("..").appendingPathComponent("shared").appendingPathComponent("corpora")
        return url.standardizedFileURL.path
    }

    /// The file a label's path names.
    public func file(for label: EvaluationLabel) -> String {
        if label.path.hasPrefix("/") { return label.path }
        let root = label.path.hasPrefix("Corpus/") ? repositoryRoot : corporaRoot
        return URL(fileURLWithPath: root).appendingPathComponent(label.path).path
    }

    /// What the extractor says about one paper, as comparable strings.
    struct Prediction: Sendable {
        var values: [EvaluationField: String?] = [:]
        var evidence: [EvaluationField: String] = [:]
    }

    static func predict(_ paper: CouncilPaper) -> Prediction {
        let m = paper.metadata
        var p = Prediction()
        p.values[.council] = m.council.value
        p.values[.committee] = m.committee.value
        p.values[.date] = m.date.value?.iso
        p.values[.kind] = m.kind.value?.rawValue
        p.evidence[.council] = m.council.source
        p.evidence[.committee] = m.committee.source
        p.evidence[.date] = m.date.source
        p.evidence[.kind] = m.kind.source
        // The portfolios the items fall under (not those of membership lists).
        var portfolios: [String] = []
        var titles: [String] = []
        for item in paper.items where !item.isFrontMatter && !item.portfolios.isEmpty {
            portfolios += item.portfolios
            titles.append(item.title)
        }
        portfolios = PortfolioExtractor.unique(portfolios)
        p.values[.portfolios] = portfolios.isEmpty ? nil : portfolios.joined(separator: "; ")
        p.evidence[.portfolios] = titles.isEmpty ? "no item names a portfolio" : "items " + titles.prefix(4).joined(separator: " | ")
        return p
    }

    /// The label's value of `field` as a comparable key, and for people.
    static func expected(_ label: EvaluationLabel, _ field: EvaluationField) -> String? {
        switch field {
        case .council: return label.council
        case .committee: return label.committee
        case .date: return label.date?.iso
        case .kind: return label.kind?.rawValue
        case .portfolios:
            let list = PortfolioExtractor.unique(label.portfolios ?? [])
            return list.isEmpty ? nil : list.joined(separator: "; ")
        }
    }

    /// Whether a prediction matches: names by `NameKey`, portfolios as sets.
    static func matches(_ field: EvaluationField, expected: String?, got: String?) -> Bool {
        switch (expected, got) {
        case (nil, nil): return true
        case (nil, _), (_, nil): return false
        case (let e?, let g?):
            if field == .portfolios {
                func keys(_ s: String) -> Set<String> { Set(s.components(separatedBy: "; ").map(NameKey.normalize)) }
                return keys(e) == keys(g)
            }
            return NameKey.normalize(e) == NameKey.normalize(g)
        }
    }

    /// Score every label. Papers are read and parsed in parallel.
    public func run(_ labels: [EvaluationLabel]) -> EvaluationReport {
        let start = Date()
        let outcomes = Outcomes(count: labels.count)
        DispatchQueue.concurrentPerform(iterations: labels.count) { index in
            let path = file(for: labels[index])
            do {
                let source = try DocumentReader().read(path: path)
                let paper = CouncilPaper.parse(source, gazetteer: gazetteer)
                outcomes.set(index, .success(Evaluator.predict(paper)))
            } catch {
                outcomes.set(index, .failure(EvaluationError(String(describing: error))))
            }
        }
        var report = EvaluationReport()
        report.documents = labels.count
        for (label, outcome) in zip(labels, outcomes.values) {
            var prediction = Prediction()
            switch outcome {
            case .success(let p): prediction = p
            case .failure(let error): report.unreadable.append((label.path, error.description))
            case nil: report.unreadable.append((label.path, "not evaluated"))
            }
            let source = String(label.path.split(separator: "/").first ?? "")
            for field in EvaluationField.allCases where label.labelled.contains(field) {
                let want = Evaluator.expected(label, field)
                let got = prediction.values[field] ?? nil
                let right = Evaluator.matches(field, expected: want, got: got)
                func tally(_ score: inout FieldScore) {
                    score.labelled += 1
                    if right { score.correct += 1 }
                    if got != nil {
                        score.predicted += 1
                        if right { score.correctPredicted += 1 }
                    }
                }
                tally(&report.fields[field, default: FieldScore()])
                tally(&report.bySource[source, default: [:]][field, default: FieldScore()])
                if !right {
                    report.mismatches.append(Mismatch(path: label.path, field: field, expected: want, got: got,
                                                      evidence: prediction.evidence[field] ?? "unreadable"))
                }
            }
        }
        report.seconds = Date().timeIntervalSince(start)
        return report
    }
}

/// Results written by concurrent workers, one slot each.
private final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<Evaluator.Prediction, EvaluationError>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Result<Evaluator.Prediction, EvaluationError>) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    var values: [Result<Evaluator.Prediction, EvaluationError>?] {
        lock.lock()
        defer { lock.unlock() }
        return slots
    }
}
