/// A JSON value whose objects keep their keys in the order written, so the
/// script contract prints keys in the documented order, run after run.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized() == b.serialized() }

    /// Optional values become `null`.
    public static func from(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
    public static func strings(_ list: [String]) -> JSONValue { .array(list.map(JSONValue.string)) }

    /// Compact, one-line JSON.
    public func serialized() -> String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d):
            if d.isFinite {
                out += d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
            } else {
                out += "null"
            }
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let fields):
            out += "{"
            for (i, (key, value)) in fields.enumerated() {
                if i > 0 { out += "," }
                JSONValue.writeString(key, to: &out)
                out += ":"
                value.write(to: &out)
            }
            out += "}"
        }
    }

    private static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

/// Types with a JSON form in the script contract.
public protocol JSONRepresentable {
    var json: JSONValue { get }
}

extension FacetValue: JSONRepresentable {
    public var json: JSONValue { .object([("value", .string(value)), ("count", .int(count))]) }
}

extension Facets: JSONRepresentable {
    public var json: JSONValue { .object(all.map { ($0.name, .array($0.values.map(\.json))) }) }
}

extension Hit: JSONRepresentable {
    public var json: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("rank", .int(rank)), ("id", .string(id)), ("score", .double(score)), ("title", .string(title)),
            ("council", .from(council)), ("committee", .from(committee)), ("date", .from(date)), ("kind", .from(kind)),
            ("portfolios", .strings(portfolios)), ("path", .string(path)), ("snippet", .string(snippet)),
            ("line", .int(line)), ("item", .from(item)),
        ]
        if collapsed > 0 { fields.append(("collapsed", .int(collapsed))) }
        return .object(fields)
    }
}

extension SearchResponse: JSONRepresentable {
    public var json: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("query", .string(query)), ("total", .int(total)), ("offset", .int(offset)),
            ("hits", .array(hits.map(\.json))), ("facets", facets.json),
        ]
        if let suggestion { fields.append(("suggestion", .string(suggestion))) }
        fields.append(("sort", .string(sort.rawValue)))
        if collapse != .none { fields.append(("by", .string(collapse.rawValue))) }
        if !warnings.isEmpty { fields.append(("warnings", .strings(warnings))) }
        if !missingShards.isEmpty { fields.append(("missing_shards", .strings(missingShards))) }
        if let interpretation { fields.append(("interpretation", interpretation.json)) }
        return .object(fields)
    }
}

extension IndexSummary: JSONRepresentable {
    public var json: JSONValue {
        .object([
            ("added", .int(added)), ("updated", .int(updated)), ("removed", .int(removed)), ("unchanged", .int(unchanged)),
            ("failed", .int(failed)), ("seconds", .double(seconds)), ("skipped", .int(skipped)), ("items", .int(items)),
            ("run", .int(run)), ("rebuilt", .bool(rebuilt)),
            ("failures", .array(failures.map { .object([("path", .string($0.path)), ("error", .string($0.error))]) })),
            ("skipped_files", .array(skippedFiles.map { .object([("path", .string($0.path)), ("reason", .string($0.reason))]) })),
        ] + (shards.isEmpty ? [] : [("moved", .int(moved)), ("shards", .strings(shards))]))
    }
}

extension SourceRecord: JSONRepresentable {
    /// The `council list --json` line.
    public var json: JSONValue {
        .object([
            ("path", .string(path)), ("council", .from(council)), ("committee", .from(committee)), ("date", .from(date)),
            ("kind", .from(kind)), ("title", .string(title)), ("portfolios", .strings(portfolios)), ("items", .int(items)),
            ("format", .string(format)), ("indexed_run", .int(run)), ("url", .from(url)),
        ])
    }
}

extension ItemRecord: JSONRepresentable {
    public var json: JSONValue {
        .object([
            ("id", .string(id)), ("title", .string(title)), ("item", .from(number)), ("council", .from(council)),
            ("committee", .from(committee)), ("date", .from(date)), ("kind", .from(kind)), ("portfolios", .strings(portfolios)),
            ("path", .string(path)), ("line", .int(line)), ("front_matter", .bool(isFrontMatter)), ("text", .string(text)),
        ])
    }
}
