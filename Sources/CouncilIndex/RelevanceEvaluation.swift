import CouncilDocuments
import Foundation

/// A query with the items a person judged relevant to it.
///
/// Judged queries are JSON Lines (`Evaluation/queries-*.jsonl`):
/// `{"query": "home care", "need": "...", "relevant": [{"path": "Corpus/000_….txt",
/// "title": "12. Help to Live at Home - Home Care Business Case"}]}`. An item is
/// named by its paper's path relative to the repository (`Corpus/…`) or to the
/// corpora root (`limerick/…`) and its title as indexed; a hit matches when
/// its path ends with that path and its title is the same.
public struct JudgedQuery: Sendable, Equatable {
    public struct Item: Sendable, Equatable, Hashable {
        public var path: String
        public var title: String
    }

    public var query: String
    public var need: String
    public var relevant: [Item]
    /// 1-based line in its file, for messages.
    public var line: Int

    /// The folders (relative to the repository or the corpora root) a
    /// file's queries were judged over, from its `# index: PATH` lines.
    public static func collection(path: String) throws(EvaluationError) -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw EvaluationError("cannot read the judged queries \(path)")
        }
        return text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("# index:") else { return nil }
            return line.dropFirst(8).trimmingCharacters(in: .whitespaces)
        }
    }

    /// Read a file of judged queries; a bad line is an error naming the
    /// file and line. Lines starting with `#` are comments.
    public static func load(path: String) throws(EvaluationError) -> [JudgedQuery] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw EvaluationError("cannot read the judged queries \(path)")
        }
        var queries: [JudgedQuery] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let where_ = "\(path):\(index + 1)"
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
                throw EvaluationError("\(where_): not a JSON object")
            }
            guard let query = object["query"] as? String, !query.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw EvaluationError("\(where_): \"query\" must be a non-empty string")
            }
            guard let list = object["relevant"] as? [[String: Any]], !list.isEmpty else {
                throw EvaluationError("\(where_): \"relevant\" must be a non-empty list of {\"path\", \"title\"}")
            }
            var items: [Item] = []
            for entry in list {
                guard let p = entry["path"] as? String, let t = entry["title"] as? String, !p.isEmpty, !t.isEmpty else {
                    throw EvaluationError("\(where_): each relevant item needs a \"path\" and a \"title\"")
                }
                items.append(Item(path: p, title: t))
            }
            queries.append(JudgedQuery(query: query, need: object["need"] as? String ?? "", relevant: items, line: index + 1))
        }
        return queries
    }

    /// Whether a hit is one of the relevant items.
    func isRelevant(_ hit: Hit) -> Bool {
        relevant.contains { $0.title == hit.title && JudgedQuery.path(hit.path, endsWith: $0.path) }
    }

    /// `path` ends with the components of `suffix`.
    static func path(_ path: String, endsWith suffix: String) -> Bool {
        path == suffix || path.hasSuffix("/" + suffix)
    }
}

/// How one judged query fared.
public struct QueryOutcome: Sendable, Equatable {
    public var query: JudgedQuery
    /// Relevant items among the first five hits, over five.
    public var precisionAt5: Double
    /// The best precision at 5 possible with this many relevant items.
    public var idealPrecisionAt5: Double
    /// 1 / the rank of the first relevant hit (0 when none is in the first 10).
    public var reciprocalRank: Double
    /// Relevant items among the first ten hits, over all relevant items.
    public var recallAt10: Double
    /// The first ten hits' titles, with whether each is relevant.
    public var top: [(title: String, path: String, relevant: Bool)]
    /// Relevant items that no search hit matched at all (stale judgments).
    public var missing: [JudgedQuery.Item]

    public static func == (a: QueryOutcome, b: QueryOutcome) -> Bool {
        a.query == b.query && a.precisionAt5 == b.precisionAt5 && a.reciprocalRank == b.reciprocalRank
    }
}

/// Measures ranking against judged queries: precision at 5, mean
/// reciprocal rank and recall at 10.
public struct RelevanceEvaluation: Sendable {
    public var outcomes: [QueryOutcome] = []

    public var meanPrecisionAt5: Double { mean(\.precisionAt5) }
    public var meanIdealPrecisionAt5: Double { mean(\.idealPrecisionAt5) }
    public var meanReciprocalRank: Double { mean(\.reciprocalRank) }
    public var meanRecallAt10: Double { mean(\.recallAt10) }

    private func mean(_ key: KeyPath<QueryOutcome, Double>) -> Double {
        outcomes.isEmpty ? 0 : outcomes.map { $0[keyPath: key] }.reduce(0, +) / Double(outcomes.count)
    }

    /// Run every query over `service` (relevance order, one hit per item)
    /// and score its first ten hits.
    public static func run(_ queries: [JudgedQuery], service: SearchService) throws -> RelevanceEvaluation {
        var evaluation = RelevanceEvaluation()
        for judged in queries {
            let response = try service.search(SearchRequest(query: judged.query, limit: 10))
            let flags = response.hits.map { judged.isRelevant($0) }
            let relevantCount = Set(judged.relevant).count
            let inTop5 = flags.prefix(5).filter { $0 }.count
            let firstRelevant = flags.firstIndex(of: true)
            // Judged items the index does not hold (their titles changed, or
            // the paper is not indexed) are reported, not silently scored.
            var missing: [JudgedQuery.Item] = []
            for item in Set(judged.relevant) where !response.hits.contains(where: { $0.title == item.title && JudgedQuery.path($0.path, endsWith: item.path) }) {
                let phrase = "title:\"" + item.title.replacingOccurrences(of: "\"", with: " ") + "\""
                let exact = try? service.search(SearchRequest(query: phrase, limit: 100))
                if !(exact?.hits.contains(where: { $0.title == item.title && JudgedQuery.path($0.path, endsWith: item.path) }) ?? false) {
                    missing.append(item)
                }
            }
            evaluation.outcomes.append(QueryOutcome(
                query: judged, precisionAt5: Double(inTop5) / 5, idealPrecisionAt5: Double(min(5, relevantCount)) / 5,
                reciprocalRank: firstRelevant.map { 1 / Double($0 + 1) } ?? 0,
                recallAt10: relevantCount == 0 ? 0 : Double(flags.filter { $0 }.count) / Double(relevantCount),
                top: zip(response.hits, flags).map { ($0.title, $0.path, $1) }, missing: missing.sorted { $0.title < $1.title }))
        }
        return evaluation
    }
}
