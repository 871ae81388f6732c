// xapian_native.cc - the same Xapian work as `council`, done natively in
// C++: the ceiling for this engine in the benchmarks (Benchmarks/run).
//
//   xapian_native export COUNCIL_DB ITEMS.replay ITEMS.jsonl
//       Read the papers and items council indexed and write them out: a
//       replay file for `index` (the very terms, values and record data
//       council builds, with the text to run the TermGenerator on) and
//       JSON Lines for the other engines.
//   xapian_native index ITEMS.replay DB
//       Build or update DB as council's PaperIndexer does: papers whose
//       file has the same size and modification time as recorded are
//       skipped; others are replaced (delete by source term, source record,
//       one document per item: TermGenerator with the English stemmer,
//       STEM_SOME, positions, spelling data), committed in transactions of
//       2,000 documents or 32 MB of text.
//   xapian_native query DB QUERIES.bin PASSES
//       Run serialised queries (from `council repl --timings`) as council
//       does: BM25, top 10, ValueCountMatchSpy facets over the whole match
//       set (check_at_least = doccount), each hit's record read and a
//       snippet made. Prints one JSON object with per-query milliseconds.
//   xapian_native dump DB
//       Every document (data, values, terms with wdf and positions), the
//       spelling dictionary and metadata, with run times masked: to check
//       that two builds of an index hold the same.
//
// Build: g++ -O2 -std=c++17 xapian_native.cc -o xapian_native -lxapian

#include <xapian.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

using namespace std;

// MARK: - Record data (council's `field=value` lines)

static string unescape(const string &s) {
    if (s.find('\\') == string::npos) return s;
    string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) {
            ++i;
            out += s[i] == 'n' ? '\n' : s[i];
        } else {
            out += s[i];
        }
    }
    return out;
}

static vector<pair<string, string>> fields(const string &data) {
    vector<pair<string, string>> out;
    size_t start = 0;
    while (start < data.size()) {
        size_t end = data.find('\n', start);
        if (end == string::npos) end = data.size();
        size_t eq = data.find('=', start);
        if (eq != string::npos && eq < end) out.emplace_back(data.substr(start, eq - start), unescape(data.substr(eq + 1, end - eq - 1)));
        start = end + 1;
    }
    return out;
}

static string field(const vector<pair<string, string>> &f, const string &key) {
    for (auto &p : f) if (p.first == key) return p.second;
    return string();
}

// MARK: - Replay file: length-prefixed strings

static void put(ostream &out, const string &s) {
    uint32_t n = s.size();
    out.write(reinterpret_cast<const char *>(&n), 4);
    out.write(s.data(), n);
}

static bool get(istream &in, string &s) {
    uint32_t n;
    if (!in.read(reinterpret_cast<char *>(&n), 4)) return false;
    s.resize(n);
    return n == 0 || bool(in.read(&s[0], n));
}

static string json(const string &s) {
    string out = "\"";
    for (unsigned char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += char(c);
                }
        }
    }
    return out + "\"";
}

struct Item {
    string idterm, data, title, text, context;
    vector<string> booleans;
    vector<pair<uint32_t, string>> values;
};

struct Paper {
    string key, data, abspath;
    vector<Item> items;
};

// A paper: key, source data, absolute path, then its items as one blob
// (so that an unchanged paper is skipped without reading them).
static bool read_paper_head(istream &in, Paper &p, uint32_t &blob) {
    if (!get(in, p.key)) return false;
    get(in, p.data);
    get(in, p.abspath);
    return bool(in.read(reinterpret_cast<char *>(&blob), 4));
}

static void read_items(istream &blobs, Paper &p) {
    string count;
    get(blobs, count);
    p.items.assign(stoul(count), Item());
    for (auto &it : p.items) {
        string n;
        get(blobs, it.idterm); get(blobs, it.data); get(blobs, it.title); get(blobs, it.text); get(blobs, it.context);
        get(blobs, n);
        it.booleans.resize(stoul(n));
        for (auto &b : it.booleans) get(blobs, b);
        get(blobs, n);
        it.values.resize(stoul(n));
        for (auto &v : it.values) {
            string slot;
            get(blobs, slot);
            v.first = stoul(slot);
            get(blobs, v.second);
        }
    }
}

// MARK: - export

static int do_export(const char *dbpath, const char *replay, const char *jsonl) {
    Xapian::Database db(dbpath);
    ofstream out(replay, ios::binary), js(jsonl);
    map<string, vector<Xapian::docid>> items;  // source key -> item docids in ordinal order
    for (auto it = db.postlist_begin("XTitem"); it != db.postlist_end("XTitem"); ++it) {
        Xapian::Document doc = db.get_document(*it);
        items[doc.get_value(13)].push_back(*it);
    }
    for (auto it = db.postlist_begin("XTsource"); it != db.postlist_end("XTsource"); ++it) {
        Xapian::Document src = db.get_document(*it);
        auto sf = fields(src.get_data());
        string key;
        for (auto t = src.termlist_begin(); t != src.termlist_end(); ++t)
            if ((*t).compare(0, 2, "XS") == 0) key = (*t).substr(2);
        auto &ids = items[key];
        sort(ids.begin(), ids.end(), [&](Xapian::docid a, Xapian::docid b) {
            return db.get_document(a).get_value(15) < db.get_document(b).get_value(15);
        });
        put(out, key); put(out, src.get_data()); put(out, field(sf, "abspath"));
        ostringstream blob;
        put(blob, to_string(ids.size()));
        for (auto id : ids) {
            Xapian::Document doc = db.get_document(id);
            auto f = fields(doc.get_data());
            vector<string> booleans;
            string idterm;
            for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
                const string &term = *t;
                if (term.empty() || term[0] < 'A' || term[0] > 'Z' || term[0] == 'S' || term[0] == 'Z') continue;
                if (t.get_wdf() != 0) continue;
                booleans.push_back(term);
                if (term[0] == 'Q') idterm = term;
            }
            string council = field(f, "council"), committee = field(f, "committee");
            string context = council;
            if (!committee.empty()) context += (context.empty() ? "" : " ") + committee;
            put(blob, idterm); put(blob, doc.get_data()); put(blob, field(f, "title")); put(blob, field(f, "text")); put(blob, context);
            put(blob, to_string(booleans.size()));
            for (auto &b : booleans) put(blob, b);
            vector<pair<uint32_t, string>> values;
            for (auto v = doc.values_begin(); v != doc.values_end(); ++v) values.emplace_back(v.get_valueno(), *v);
            put(blob, to_string(values.size()));
            for (auto &v : values) { put(blob, to_string(v.first)); put(blob, v.second); }
            // JSON for the other engines.
            string portfolios = "[";
            for (auto &p : f) if (p.first == "portfolio") portfolios += (portfolios.size() > 1 ? "," : "") + json(p.second);
            portfolios += "]";
            string date = field(f, "date");
            js << "{\"id\":" << json(field(f, "id")) << ",\"source\":" << json(key) << ",\"path\":" << json(field(sf, "abspath"))
               << ",\"size\":" << json(field(sf, "size")) << ",\"modified\":" << json(field(sf, "modified"))
               << ",\"title\":" << json(field(f, "title")) << ",\"council\":" << json(council) << ",\"committee\":" << json(committee)
               << ",\"kind\":" << json(field(f, "kind")) << ",\"date\":" << json(date) << ",\"year\":" << json(date.substr(0, 4))
               << ",\"portfolios\":" << portfolios << ",\"text\":" << json(field(f, "text")) << "}\n";
        }
        put(out, blob.str());
    }
    return 0;
}

// MARK: - index

static double file_mtime(const string &path, long long &size) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) { size = -1; return 0; }
    size = st.st_size;
    return double(st.st_mtim.tv_sec) + double(st.st_mtim.tv_nsec) / 1e9;
}

static int do_index(const char *replay, const char *dbpath) {
    Xapian::WritableDatabase db(dbpath, Xapian::DB_CREATE_OR_OPEN);
    // Existing papers: key -> (size, modified), as council reads them.
    map<string, pair<long long, double>> existing;
    for (auto it = db.postlist_begin("XTsource"); it != db.postlist_end("XTsource"); ++it) {
        auto f = fields(db.get_document(*it).get_data());
        string key;
        auto doc = db.get_document(*it);
        for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
            if ((*t).compare(0, 2, "XS") == 0) key = (*t).substr(2);
        existing[key] = {atoll(field(f, "size").c_str()), atof(field(f, "modified").c_str())};
    }
    int run = atoi(db.get_metadata("run:last").c_str()) + 1;
    Xapian::TermGenerator generator;
    generator.set_stemmer(Xapian::Stem("english"));
    generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    generator.set_database(db);
    if (!getenv("NO_SPELLING")) generator.set_flags(Xapian::TermGenerator::FLAG_SPELLING);
    ifstream in(replay, ios::binary);
    db.begin_transaction();
    db.set_metadata("run:last", to_string(run));
    db.set_metadata("run:" + to_string(run), to_string(time(nullptr)));
    size_t pendingDocs = 0, pendingBytes = 0, added = 0, unchanged = 0, items = 0;
    size_t commitDocs = getenv("COMMIT_DOCS") ? atol(getenv("COMMIT_DOCS")) : 2000;
    size_t commitBytes = (getenv("COMMIT_MB") ? atol(getenv("COMMIT_MB")) : 32) * 1048576u;
    Paper p;
    uint32_t blobSize;
    while (read_paper_head(in, p, blobSize)) {
        long long size;
        double modified = file_mtime(p.abspath, size);
        auto old = existing.find(p.key);
        if (old != existing.end() && old->second.first == size && old->second.second == modified) {
            ++unchanged;
            in.seekg(blobSize, ios::cur);
            continue;
        }
        {
            string blob(blobSize, '\0');
            in.read(&blob[0], blobSize);
            istringstream items(blob);
            read_items(items, p);
        }
        // Earlier items' hashes and runs, as council reads them.
        string sourceTerm = "XS" + p.key;
        map<string, string> earlier;
        for (auto it = db.postlist_begin(sourceTerm); it != db.postlist_end(sourceTerm); ++it) {
            auto f = fields(db.get_document(*it).get_data());
            earlier[field(f, "id")] = field(f, "hash");
        }
        db.delete_document(sourceTerm);
        Xapian::Document src;
        src.add_boolean_term("Q" + p.key);
        src.add_boolean_term("XTsource");
        src.add_boolean_term(sourceTerm);
        src.set_data(p.data);
        db.replace_document("Q" + p.key, src);
        for (auto &it : p.items) {
            Xapian::Document doc;
            generator.set_document(doc);
            generator.set_termpos(0);
            generator.index_text(it.title, 1, "S");
            generator.index_text(it.title, 3);
            generator.increase_termpos(100);
            generator.index_text(it.text);
            generator.increase_termpos(100);
            generator.index_text(it.context);
            for (auto &b : it.booleans) doc.add_boolean_term(b);
            for (auto &v : it.values) doc.add_value(v.first, v.second);
            doc.set_data(it.data);
            db.replace_document(it.idterm, doc);
            pendingBytes += it.text.size();
        }
        ++added;
        items += p.items.size();
        pendingDocs += p.items.size() + 1;
        if (pendingDocs >= commitDocs || pendingBytes >= commitBytes) {
            db.commit_transaction();
            db.begin_transaction();
            pendingDocs = pendingBytes = 0;
        }
    }
    db.commit_transaction();
    db.close();
    printf("{\"indexed\": %zu, \"unchanged\": %zu, \"items\": %zu}\n", added, unchanged, items);
    return 0;
}

// MARK: - query

static int do_query(const char *dbpath, const char *queries, int passes) {
    Xapian::Database db(dbpath);
    ifstream in(queries, ios::binary);
    vector<Xapian::Query> list;
    string bytes;
    while (get(in, bytes)) list.push_back(Xapian::Query::unserialise(bytes));
    vector<Xapian::valueno> slots = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    // For profiling: leave out parts of the work.
    if (getenv("NO_FACETS")) slots.clear();
    const bool snippets = !getenv("NO_SNIPPETS");
    Xapian::Stem stemmer("english");
    vector<double> ms;
    vector<unsigned> totals;
    size_t snippetBytes = 0;
    auto batchStart = chrono::steady_clock::now();
    for (int pass = 0; pass < passes; ++pass) {
        for (auto &q : list) {
            auto start = chrono::steady_clock::now();
            Xapian::Enquire enquire(db);
            enquire.set_query(q);
            vector<unique_ptr<Xapian::ValueCountMatchSpy>> spies;
            for (auto s : slots) {
                spies.emplace_back(new Xapian::ValueCountMatchSpy(s));
                enquire.add_matchspy(spies.back().get());
            }
            Xapian::MSet mset = enquire.get_mset(0, 10, db.get_doccount());
            size_t facetValues = 0;
            for (auto &spy : spies) {
                vector<pair<string, Xapian::doccount>> counts;
                for (auto v = spy->values_begin(); v != spy->values_end(); ++v) counts.emplace_back(*v, v.get_termfreq());
                sort(counts.begin(), counts.end(), [](auto &a, auto &b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
                facetValues += counts.size();
            }
            for (auto m = mset.begin(); snippets && m != mset.end(); ++m) {
                auto f = fields(m.get_document().get_data());
                string text = field(f, "text");
                if (text.empty()) text = field(f, "title");
                snippetBytes += mset.snippet(text, 240, stemmer,
                                             Xapian::MSet::SNIPPET_BACKGROUND_MODEL | Xapian::MSet::SNIPPET_EXHAUSTIVE,
                                             "<b>", "</b>", "…").size();
            }
            auto end = chrono::steady_clock::now();
            ms.push_back(chrono::duration<double, milli>(end - start).count());
            if (pass == 0) totals.push_back(mset.get_matches_estimated());
            (void)facetValues;
        }
    }
    double batch = chrono::duration<double>(chrono::steady_clock::now() - batchStart).count();
    printf("{\"engine\": \"xapian-native\", \"queries\": %zu, \"passes\": %d, \"batch_seconds\": %.6f, \"snippet_bytes\": %zu, \"ms\": [",
           list.size(), passes, batch, snippetBytes);
    for (size_t i = 0; i < ms.size(); ++i) printf("%s%.4f", i ? "," : "", ms[i]);
    printf("], \"totals\": [");
    for (size_t i = 0; i < totals.size(); ++i) printf("%s%u", i ? "," : "", totals[i]);
    printf("]}\n");
    return 0;
}

// MARK: - dump

static int do_dump(const char *dbpath) {
    Xapian::Database db(dbpath);
    // By id term, so that builds with other docids compare equal.
    map<string, string> docs;
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
        Xapian::Document doc = db.get_document(*it);
        ostringstream o;
        string idterm;
        string data = doc.get_data();
        // Mask the time of the run.
        string masked;
        for (auto &f : fields(data)) if (f.first != "indexed") masked += f.first + "=" + f.second + "\n";
        o << "data " << json(masked) << "\n";
        for (auto v = doc.values_begin(); v != doc.values_end(); ++v)
            if (v.get_valueno() != 17) o << "value " << v.get_valueno() << " " << json(*v) << "\n";
        for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
            if ((*t)[0] == 'Q') idterm = *t;
            o << "term " << json(*t) << " " << t.get_wdf();
            for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) o << " " << *p;
            o << "\n";
        }
        docs[idterm] = o.str();
    }
    for (auto &d : docs) cout << "doc " << json(d.first) << "\n" << d.second;
    for (auto s = db.spellings_begin(); s != db.spellings_end(); ++s) cout << "spelling " << json(*s) << " " << s.get_termfreq() << "\n";
    for (auto k = db.metadata_keys_begin(); k != db.metadata_keys_end(); ++k)
        if ((*k).compare(0, 4, "run:") != 0) cout << "metadata " << json(*k) << " " << json(db.get_metadata(*k)) << "\n";
    cout << "doccount " << db.get_doccount() << "\n";
    return 0;
}

int main(int argc, char **argv) {
    try {
        string mode = argc > 1 ? argv[1] : "";
        if (mode == "export" && argc == 5) return do_export(argv[2], argv[3], argv[4]);
        if (mode == "index" && argc == 4) return do_index(argv[2], argv[3]);
        if (mode == "query" && argc == 5) return do_query(argv[2], argv[3], atoi(argv[4]));
        if (mode == "dump" && argc == 3) return do_dump(argv[2]);
        fprintf(stderr, "usage: xapian_native export DB REPLAY JSONL | index REPLAY DB | query DB QUERIES PASSES | dump DB\n");
        return 2;
    } catch (const Xapian::Error &e) {
        fprintf(stderr, "xapian_native: %s\n", e.get_description().c_str());
        return 1;
    }
}
