// council_xapian.cc - implementation of the C API in council_xapian.h.
//
// Every exported function is noexcept and wraps its body in CX_TRY ...
// CX_CATCH, which turns any C++ exception into a status code and message
// through status_from_current_exception(): no exception crosses extern "C".

#include "council_xapian.h"

#include <xapian.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

// MARK: - Handle types

struct cx_strings {
    std::vector<std::string> items;
    std::vector<uint32_t> frequencies;
};

struct cx_database {
    // `db` is the handle used for reading; for a writable database it is a
    // WritableDatabase and `writable` points at the same object.
    std::unique_ptr<Xapian::Database> db;
    Xapian::WritableDatabase *writable = nullptr;
    // How many of the databases searched were opened as remote ones
    // (cx_database_open_remote*, summed by cx_database_combine).
    size_t remote_shards = 0;
};

struct cx_document {
    Xapian::Document doc;
};

struct cx_indexer {
    Xapian::TermGenerator generator;
    Xapian::Stem stemmer;
};

struct cx_query {
    Xapian::Query query;
};

struct cx_parser {
    Xapian::QueryParser parser;
    Xapian::Stem stemmer;
};

struct cx_mset {
    Xapian::Enquire enquire;
    Xapian::MSet mset;
    Xapian::Stem stemmer;
    std::vector<cx_strings> facets;
    // Collapse counts per hit, when counted by the shim rather than taken
    // from Xapian (remote shards); empty otherwise.
    std::vector<uint32_t> collapse_counts;
    // Whether the database searched has remote shards.
    bool remote = false;
    explicit cx_mset(const Xapian::Database &db) : enquire(db) {}
};

// MARK: - Errors

namespace {

char *copy_string(const std::string &s) noexcept {
    char *out = static_cast<char *>(std::malloc(s.size() + 1));
    if (out) {
        std::memcpy(out, s.data(), s.size());
        out[s.size()] = '\0';
    }
    return out;
}

void set_message(char **message, const std::string &text) noexcept {
    if (message) *message = copy_string(text);
}

std::string describe(const Xapian::Error &e) {
    std::string text = e.get_msg();
    if (text.empty()) text = e.get_type();
    const char *err = e.get_error_string();
    if (err && *err) {
        text += " (";
        text += err;
        text += ")";
    }
    return text;
}

// Map the exception being handled to a status. Only call from a catch block.
cx_status_t status_from_current_exception(char **message) noexcept {
    try {
        throw;
    } catch (const Xapian::DatabaseNotFoundError &e) {
        set_message(message, describe(e));
        return CX_STATUS_DATABASE_NOT_FOUND;
    } catch (const Xapian::DatabaseVersionError &e) {
        set_message(message, describe(e));
        return CX_STATUS_DATABASE_VERSION;
    } catch (const Xapian::DatabaseOpeningError &e) {
        set_message(message, describe(e));
        return CX_STATUS_DATABASE_OPENING;
    } catch (const Xapian::DatabaseLockError &e) {
        set_message(message, describe(e));
        return CX_STATUS_DATABASE_LOCKED;
    } catch (const Xapian::DatabaseModifiedError &e) {
        set_message(message, describe(e));
        return CX_STATUS_DATABASE_MODIFIED;
    } catch (const Xapian::DatabaseCorruptError &e) {
        set_message(message, describe(e));
        return CX_STATUS_DATABASE_CORRUPT;
    } catch (const Xapian::DatabaseCreateError &e) {
        set_message(message, describe(e));
        return CX_STATUS_DATABASE_CREATE;
    } catch (const Xapian::DatabaseError &e) {
        set_message(message, describe(e));
        return CX_STATUS_DATABASE_ERROR;
    } catch (const Xapian::DocNotFoundError &e) {
        set_message(message, describe(e));
        return CX_STATUS_DOCUMENT_NOT_FOUND;
    } catch (const Xapian::QueryParserError &e) {
        set_message(message, describe(e));
        return CX_STATUS_QUERY_SYNTAX;
    } catch (const Xapian::WildcardError &e) {
        set_message(message, describe(e));
        return CX_STATUS_WILDCARD;
    } catch (const Xapian::NetworkTimeoutError &e) {
        set_message(message, describe(e));
        return CX_STATUS_NETWORK_TIMEOUT;
    } catch (const Xapian::NetworkError &e) {
        set_message(message, describe(e));
        return CX_STATUS_NETWORK;
    } catch (const Xapian::InvalidOperationError &e) {
        set_message(message, describe(e));
        return CX_STATUS_INVALID_OPERATION;
    } catch (const Xapian::InvalidArgumentError &e) {
        set_message(message, describe(e));
        return CX_STATUS_INVALID_OPERATION;
    } catch (const Xapian::UnimplementedError &e) {
        set_message(message, describe(e));
        return CX_STATUS_UNIMPLEMENTED;
    } catch (const Xapian::FeatureUnavailableError &e) {
        set_message(message, describe(e));
        return CX_STATUS_UNIMPLEMENTED;
    } catch (const Xapian::Error &e) {
        set_message(message, describe(e));
        return CX_STATUS_XAPIAN_ERROR;
    } catch (const std::bad_alloc &) {
        set_message(message, "out of memory");
        return CX_STATUS_OUT_OF_MEMORY;
    } catch (const std::exception &e) {
        set_message(message, e.what());
        return CX_STATUS_INTERNAL_ERROR;
    } catch (...) {
        set_message(message, "unknown C++ exception");
        return CX_STATUS_INTERNAL_ERROR;
    }
}

cx_status_t invalid(char **message, const char *what) noexcept {
    set_message(message, what);
    return CX_STATUS_INVALID_ARGUMENT;
}

cx_status_t read_only(char **message) noexcept {
    set_message(message, "the database is open read-only");
    return CX_STATUS_READ_ONLY;
}

// Copy `s` into a malloc'd buffer for the caller.
cx_status_t give_bytes(const std::string &s, char **out, size_t *length,
                       char **message) noexcept {
    char *buffer = copy_string(s);
    if (!buffer) {
        set_message(message, "out of memory");
        return CX_STATUS_OUT_OF_MEMORY;
    }
    *out = buffer;
    if (length) *length = s.size();
    return CX_STATUS_SUCCESS;
}

// An ExpandDecider that refuses terms with any of the given prefixes.
class SkipPrefixes : public Xapian::ExpandDecider {
    std::vector<std::string> prefixes;

  public:
    explicit SkipPrefixes(std::vector<std::string> p) : prefixes(std::move(p)) {}
    bool operator()(const std::string &term) const override {
        for (const auto &p : prefixes)
            if (term.compare(0, p.size(), p) == 0) return false;
        return true;
    }
};

// A FieldProcessor that asks a C callback for the query.
class CallbackFieldProcessor : public Xapian::FieldProcessor {
    cx_field_callback_t callback;
    void *context;

  public:
    CallbackFieldProcessor(cx_field_callback_t cb, void *ctx)
        : callback(cb), context(ctx) {}

    Xapian::Query operator()(const std::string &value) override {
        char *error = nullptr;
        cx_query_t *result = callback(context, value.data(), value.size(), &error);
        if (!result) {
            std::string text = error ? error : "invalid filter value: " + value;
            std::free(error);
            throw Xapian::QueryParserError(text);
        }
        std::free(error);
        Xapian::Query q = std::move(result->query);
        delete result;
        return q;
    }
};

}  // namespace

#define CX_TRY try {
#define CX_CATCH(message)                                                      \
    }                                                                          \
    catch (...) {                                                              \
        return status_from_current_exception(message);                         \
    }

// MARK: - Basics

extern "C" const char *cx_status_to_string(cx_status_t status) noexcept {
    switch (status) {
        case CX_STATUS_SUCCESS: return "no error";
        case CX_STATUS_OUT_OF_MEMORY: return "out of memory";
        case CX_STATUS_INVALID_ARGUMENT: return "invalid argument";
        case CX_STATUS_DATABASE_NOT_FOUND: return "database not found";
        case CX_STATUS_DATABASE_OPENING: return "database cannot be opened";
        case CX_STATUS_DATABASE_VERSION: return "unsupported database format";
        case CX_STATUS_DATABASE_LOCKED: return "database is locked";
        case CX_STATUS_DATABASE_MODIFIED: return "database was modified";
        case CX_STATUS_DATABASE_CORRUPT: return "database is corrupt";
        case CX_STATUS_DATABASE_CREATE: return "database cannot be created";
        case CX_STATUS_DATABASE_ERROR: return "database error";
        case CX_STATUS_READ_ONLY: return "database is read-only";
        case CX_STATUS_DOCUMENT_NOT_FOUND: return "document not found";
        case CX_STATUS_QUERY_SYNTAX: return "query syntax error";
        case CX_STATUS_WILDCARD: return "wildcard expands to too many terms";
        case CX_STATUS_NETWORK: return "remote database error";
        case CX_STATUS_INVALID_OPERATION: return "invalid operation";
        case CX_STATUS_UNIMPLEMENTED: return "not implemented";
        case CX_STATUS_XAPIAN_ERROR: return "Xapian error";
        case CX_STATUS_INTERNAL_ERROR: return "internal error";
        case CX_STATUS_NETWORK_TIMEOUT: return "remote database timed out";
        case CX_STATUS_LAST_STATUS: break;
    }
    return "unknown status";
}

extern "C" void cx_free(void *pointer) noexcept { std::free(pointer); }

extern "C" const char *cx_xapian_version(void) noexcept { return Xapian::version_string(); }

// MARK: - String lists

extern "C" size_t cx_strings_count(const cx_strings_t *list) noexcept {
    return list ? list->items.size() : 0;
}

extern "C" const char *cx_strings_get(const cx_strings_t *list, size_t index,
                                      size_t *length, uint32_t *frequency) noexcept {
    if (!list || index >= list->items.size()) {
        if (length) *length = 0;
        if (frequency) *frequency = 0;
        return nullptr;
    }
    if (length) *length = list->items[index].size();
    if (frequency) *frequency = list->frequencies[index];
    return list->items[index].data();
}

extern "C" void cx_strings_destroy(cx_strings_t *list) noexcept { delete list; }

// MARK: - Databases

extern "C" cx_status_t cx_database_open(const char *path, unsigned mode,
                                        cx_database_t **database,
                                        char **message) noexcept {
    if (!path || !database) return invalid(message, "path and database are required");
    CX_TRY
    auto handle = std::make_unique<cx_database>();
    const unsigned base = mode & 0xff;
    if (base == CX_OPEN_READ_ONLY) {
        handle->db = std::make_unique<Xapian::Database>(path);
    } else {
        int flags;
        switch (base) {
            case CX_OPEN_CREATE_OR_OPEN: flags = Xapian::DB_CREATE_OR_OPEN; break;
            case CX_OPEN_CREATE_OR_OVERWRITE: flags = Xapian::DB_CREATE_OR_OVERWRITE; break;
            case CX_OPEN_WRITE_EXISTING: flags = Xapian::DB_OPEN; break;
            default: return invalid(message, "unknown open mode");
        }
        if (mode & CX_OPEN_WAIT_FOR_LOCK) flags |= Xapian::DB_RETRY_LOCK;
        auto writable = std::make_unique<Xapian::WritableDatabase>(path, flags);
        handle->writable = writable.get();
        handle->db = std::move(writable);
    }
    *database = handle.release();
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_database_open_remote(const char *host, unsigned port,
                                               unsigned timeout_ms,
                                               unsigned connect_timeout_ms,
                                               cx_database_t **database,
                                               char **message) noexcept {
    if (!host || !*host || !database) return invalid(message, "host and database are required");
    if (port == 0 || port > 65535) return invalid(message, "port must be 1 to 65535");
    CX_TRY
    auto handle = std::make_unique<cx_database>();
    handle->db = std::make_unique<Xapian::Database>(
        Xapian::Remote::open(host, port, timeout_ms, connect_timeout_ms));
    handle->remote_shards = 1;
    *database = handle.release();
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_database_open_remote_program(const char *program,
                                                       const char *args,
                                                       unsigned timeout_ms,
                                                       cx_database_t **database,
                                                       char **message) noexcept {
    if (!program || !*program || !database) return invalid(message, "program and database are required");
    CX_TRY
    auto handle = std::make_unique<cx_database>();
    handle->db = std::make_unique<Xapian::Database>(
        Xapian::Remote::open(program, args ? args : "", timeout_ms));
    handle->remote_shards = 1;
    *database = handle.release();
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_database_combine(cx_database_t *const *shards, size_t count,
                                           cx_database_t **database,
                                           char **message) noexcept {
    if ((!shards && count) || !database) return invalid(message, "shards and database are required");
    for (size_t i = 0; i < count; ++i)
        if (!shards[i]) return invalid(message, "a shard is NULL");
    CX_TRY
    auto handle = std::make_unique<cx_database>();
    handle->db = std::make_unique<Xapian::Database>();
    for (size_t i = 0; i < count; ++i) {
        // A writable shard is read through a plain Database sharing it.
        handle->db->add_database(*shards[i]->db);
        handle->remote_shards += shards[i]->remote_shards;
    }
    *database = handle.release();
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_database_shards(const cx_database_t *database, size_t *shards,
                                          size_t *remote, char **message) noexcept {
    if (!database) return invalid(message, "database is required");
    if (shards) *shards = database->db->size();
    if (remote) *remote = database->remote_shards;
    return CX_STATUS_SUCCESS;
}

extern "C" cx_status_t cx_database_reopen(cx_database_t *database, int *changed,
                                          char **message) noexcept {
    if (!database) return invalid(message, "database is required");
    CX_TRY
    bool reopened = database->db->reopen();
    if (changed) *changed = reopened ? 1 : 0;
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_database_close(cx_database_t *database,
                                         char **message) noexcept {
    if (!database) return invalid(message, "database is required");
    CX_TRY
    database->db->close();
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" void cx_database_destroy(cx_database_t *database) noexcept {
    if (!database) return;
    // A writable database is closed, so its changes are committed and its
    // lock released now. A read-only one is only released: a combined
    // database (cx_database_combine) or a result page may share it.
    if (database->writable) {
        try {
            database->db->close();
        } catch (...) {
            // Destruction never fails; a failed close leaves Xapian to clean up.
        }
    }
    delete database;
}

extern "C" int cx_database_is_writable(const cx_database_t *database) noexcept {
    return database && database->writable ? 1 : 0;
}

extern "C" cx_status_t cx_database_stats(cx_database_t *database,
                                         uint32_t *doccount,
                                         cx_docid_t *lastdocid,
                                         uint64_t *revision,
                                         char **message) noexcept {
    if (!database) return invalid(message, "database is required");
    CX_TRY
    if (doccount) *doccount = database->db->get_doccount();
    if (lastdocid) *lastdocid = database->db->get_lastdocid();
    if (revision) {
        try {
            *revision = database->db->get_revision();
        } catch (const Xapian::InvalidOperationError &) {
            *revision = 0;  // several shards have no single revision
        }
    }
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_database_term_frequency(cx_database_t *database,
                                                  const char *term,
                                                  size_t term_length,
                                                  uint32_t *frequency,
                                                  char **message) noexcept {
    if (!database || !term || !frequency) return invalid(message, "database, term and frequency are required");
    CX_TRY
    *frequency = database->db->get_termfreq(std::string(term, term_length));
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_database_terms_with_prefix(
    cx_database_t *database, const char *prefix, size_t prefix_length,
    size_t limit, cx_strings_t **terms, char **message) noexcept {
    if (!database || !terms) return invalid(message, "database and terms are required");
    CX_TRY
    auto list = std::make_unique<cx_strings>();
    std::string p = prefix ? std::string(prefix, prefix_length) : std::string();
    for (auto it = database->db->allterms_begin(p); it != database->db->allterms_end(p); ++it) {
        list->items.push_back(*it);
        list->frequencies.push_back(it.get_termfreq());
        if (limit && list->items.size() >= limit) break;
    }
    *terms = list.release();
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_database_postings(cx_database_t *database,
                                            const char *term,
                                            size_t term_length, size_t limit,
                                            cx_docid_t **docids, size_t *count,
                                            char **message) noexcept {
    if (!database || !term || !docids || !count) return invalid(message, "database, term, docids and count are required");
    CX_TRY
    std::vector<cx_docid_t> ids;
    std::string t(term, term_length);
    for (auto it = database->db->postlist_begin(t); it != database->db->postlist_end(t); ++it) {
        ids.push_back(*it);
        if (limit && ids.size() >= limit) break;
    }
    *count = ids.size();
    *docids = nullptr;
    if (!ids.empty()) {
        auto *buffer = static_cast<cx_docid_t *>(std::malloc(ids.size() * sizeof(cx_docid_t)));
        if (!buffer) throw std::bad_alloc();
        std::copy(ids.begin(), ids.end(), buffer);
        *docids = buffer;
    }
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_database_get_metadata(cx_database_t *database,
                                                const char *key, char **value,
                                                size_t *value_length,
                                                char **message) noexcept {
    if (!database || !key || !value) return invalid(message, "database, key and value are required");
    CX_TRY
    return give_bytes(database->db->get_metadata(key), value, value_length, message);
    CX_CATCH(message)
}

extern "C" cx_status_t cx_database_metadata_keys(cx_database_t *database,
                                                 const char *prefix,
                                                 cx_strings_t **keys,
                                                 char **message) noexcept {
    if (!database || !keys) return invalid(message, "database and keys are required");
    CX_TRY
    auto list = std::make_unique<cx_strings>();
    std::string p = prefix ? prefix : "";
    for (auto it = database->db->metadata_keys_begin(p); it != database->db->metadata_keys_end(p); ++it) {
        list->items.push_back(*it);
        list->frequencies.push_back(0);
    }
    *keys = list.release();
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_database_spelling_suggestion(cx_database_t *database,
                                                       const char *word,
                                                       unsigned max_edit_distance,
                                                       char **suggestion,
                                                       char **message) noexcept {
    if (!database || !word || !suggestion) return invalid(message, "database, word and suggestion are required");
    CX_TRY
    return give_bytes(database->db->get_spelling_suggestion(word, max_edit_distance),
                      suggestion, nullptr, message);
    CX_CATCH(message)
}

extern "C" cx_status_t cx_database_synonyms(cx_database_t *database,
                                            const char *term,
                                            cx_strings_t **synonyms,
                                            char **message) noexcept {
    if (!database || !term || !synonyms) return invalid(message, "database, term and synonyms are required");
    CX_TRY
    auto list = std::make_unique<cx_strings>();
    for (auto it = database->db->synonyms_begin(term); it != database->db->synonyms_end(term); ++it) {
        list->items.push_back(*it);
        list->frequencies.push_back(0);
    }
    *synonyms = list.release();
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

// MARK: - Writing

#define CX_REQUIRE_WRITABLE(database, message)                                 \
    if (!(database)) return invalid(message, "database is required");          \
    if (!(database)->writable) return read_only(message);

extern "C" cx_status_t cx_database_set_metadata(cx_database_t *database,
                                                const char *key,
                                                const char *value,
                                                size_t value_length,
                                                char **message) noexcept {
    CX_REQUIRE_WRITABLE(database, message)
    if (!key || (!value && value_length)) return invalid(message, "key is required");
    CX_TRY
    database->writable->set_metadata(key, std::string(value ? value : "", value_length));
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_database_add_synonym(cx_database_t *database,
                                               const char *term,
                                               const char *synonym,
                                               char **message) noexcept {
    CX_REQUIRE_WRITABLE(database, message)
    if (!term || !synonym) return invalid(message, "term and synonym are required");
    CX_TRY
    database->writable->add_synonym(term, synonym);
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_database_add_spellings(cx_database_t *database,
                                                 cx_document_t *document,
                                                 char **message) noexcept {
    CX_REQUIRE_WRITABLE(database, message)
    if (!document) return invalid(message, "document is required");
    CX_TRY
    // TermGenerator with FLAG_SPELLING calls add_spelling(term) once for
    // each positional occurrence of an unprefixed term; prefixes (and so
    // boolean terms, stems and title terms) start with a capital.
    for (auto it = document->doc.termlist_begin(); it != document->doc.termlist_end(); ++it) {
        const std::string &term = *it;
        if (term.empty() || (term[0] >= 'A' && term[0] <= 'Z')) continue;
        Xapian::termcount occurrences = it.positionlist_count();
        if (occurrences) database->writable->add_spelling(term, occurrences);
    }
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_database_clear_synonyms(cx_database_t *database,
                                                  char **message) noexcept {
    CX_REQUIRE_WRITABLE(database, message)
    CX_TRY
    std::vector<std::string> keys;
    for (auto it = database->writable->synonym_keys_begin(); it != database->writable->synonym_keys_end(); ++it)
        keys.push_back(*it);
    for (const auto &k : keys) database->writable->clear_synonyms(k);
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_database_commit(cx_database_t *database,
                                          char **message) noexcept {
    CX_REQUIRE_WRITABLE(database, message)
    CX_TRY
    database->writable->commit();
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_database_begin_transaction(cx_database_t *database,
                                                     int flushed,
                                                     char **message) noexcept {
    CX_REQUIRE_WRITABLE(database, message)
    CX_TRY
    database->writable->begin_transaction(flushed != 0);
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_database_commit_transaction(cx_database_t *database,
                                                      char **message) noexcept {
    CX_REQUIRE_WRITABLE(database, message)
    CX_TRY
    database->writable->commit_transaction();
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_database_cancel_transaction(cx_database_t *database,
                                                      char **message) noexcept {
    CX_REQUIRE_WRITABLE(database, message)
    CX_TRY
    database->writable->cancel_transaction();
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_database_replace_document(cx_database_t *database,
                                                    const char *idterm,
                                                    size_t idterm_length,
                                                    cx_document_t *document,
                                                    cx_docid_t *docid,
                                                    char **message) noexcept {
    CX_REQUIRE_WRITABLE(database, message)
    if (!idterm || !idterm_length || !document) return invalid(message, "idterm and document are required");
    CX_TRY
    Xapian::docid id = database->writable->replace_document(std::string(idterm, idterm_length), document->doc);
    if (docid) *docid = id;
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_database_delete_documents(cx_database_t *database,
                                                    const char *term,
                                                    size_t term_length,
                                                    char **message) noexcept {
    CX_REQUIRE_WRITABLE(database, message)
    if (!term || !term_length) return invalid(message, "term is required");
    CX_TRY
    database->writable->delete_document(std::string(term, term_length));
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_database_delete_document(cx_database_t *database,
                                                   cx_docid_t docid,
                                                   char **message) noexcept {
    CX_REQUIRE_WRITABLE(database, message)
    CX_TRY
    database->writable->delete_document(docid);
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_database_compact(cx_database_t *database,
                                           const char *destination,
                                           char **message) noexcept {
    if (!database || !destination) return invalid(message, "database and destination are required");
    CX_TRY
    database->db->compact(destination);
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_database_check(const char *path, size_t *errors,
                                         char **report,
                                         char **message) noexcept {
    if (!path || !errors) return invalid(message, "path and errors are required");
    CX_TRY
    std::ostringstream out;
    *errors = Xapian::Database::check(path, Xapian::DBCHECK_SHORT_TREE, &out);
    if (report) {
        char *text = copy_string(out.str());
        if (!text) throw std::bad_alloc();
        *report = text;
    }
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

// MARK: - Documents

extern "C" cx_status_t cx_document_new(cx_document_t **document,
                                       char **message) noexcept {
    if (!document) return invalid(message, "document is required");
    CX_TRY
    *document = new cx_document();
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_database_get_document(cx_database_t *database,
                                                cx_docid_t docid,
                                                cx_document_t **document,
                                                char **message) noexcept {
    if (!database || !document) return invalid(message, "database and document are required");
    CX_TRY
    auto handle = std::make_unique<cx_document>();
    handle->doc = database->db->get_document(docid);
    *document = handle.release();
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" void cx_document_destroy(cx_document_t *document) noexcept { delete document; }

extern "C" cx_status_t cx_document_set_data(cx_document_t *document,
                                            const char *data, size_t length,
                                            char **message) noexcept {
    if (!document || (!data && length)) return invalid(message, "document is required");
    CX_TRY
    document->doc.set_data(std::string(data ? data : "", length));
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_document_get_data(cx_document_t *document,
                                            char **data, size_t *length,
                                            char **message) noexcept {
    if (!document || !data) return invalid(message, "document and data are required");
    CX_TRY
    return give_bytes(document->doc.get_data(), data, length, message);
    CX_CATCH(message)
}

extern "C" cx_status_t cx_document_add_value(cx_document_t *document,
                                             uint32_t slot, const char *value,
                                             size_t length,
                                             char **message) noexcept {
    if (!document || (!value && length)) return invalid(message, "document is required");
    if (slot == CX_NO_SLOT) return invalid(message, "invalid value slot");
    CX_TRY
    document->doc.add_value(slot, std::string(value ? value : "", length));
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_document_get_value(cx_document_t *document,
                                             uint32_t slot, char **value,
                                             size_t *length,
                                             char **message) noexcept {
    if (!document || !value) return invalid(message, "document and value are required");
    CX_TRY
    return give_bytes(document->doc.get_value(slot), value, length, message);
    CX_CATCH(message)
}

extern "C" cx_status_t cx_document_add_term(cx_document_t *document,
                                            const char *term, size_t length,
                                            uint32_t wdf_increment,
                                            char **message) noexcept {
    if (!document || !term || !length) return invalid(message, "document and a non-empty term are required");
    if (length > 245) return invalid(message, "term longer than 245 bytes");
    CX_TRY
    if (wdf_increment == 0)
        document->doc.add_boolean_term(std::string(term, length));
    else
        document->doc.add_term(std::string(term, length), wdf_increment);
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_document_terms(cx_document_t *document,
                                         const char *prefix,
                                         cx_strings_t **terms,
                                         char **message) noexcept {
    if (!document || !terms) return invalid(message, "document and terms are required");
    CX_TRY
    auto list = std::make_unique<cx_strings>();
    std::string p = prefix ? prefix : "";
    auto it = document->doc.termlist_begin();
    if (!p.empty()) it.skip_to(p);
    for (; it != document->doc.termlist_end(); ++it) {
        const std::string &term = *it;
        if (term.compare(0, p.size(), p) != 0) break;
        list->items.push_back(term);
        list->frequencies.push_back(it.get_wdf());
    }
    *terms = list.release();
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

// MARK: - Indexer

extern "C" cx_status_t cx_indexer_new(const char *language,
                                      cx_indexer_t **indexer,
                                      char **message) noexcept {
    if (!indexer) return invalid(message, "indexer is required");
    CX_TRY
    auto handle = std::make_unique<cx_indexer>();
    try {
        handle->stemmer = Xapian::Stem(language ? language : "none");
    } catch (const Xapian::InvalidArgumentError &) {
        return invalid(message, std::string("unknown stemming language: ").append(language ? language : "").c_str());
    }
    handle->generator.set_stemmer(handle->stemmer);
    handle->generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    *indexer = handle.release();
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" void cx_indexer_destroy(cx_indexer_t *indexer) noexcept { delete indexer; }

extern "C" cx_status_t cx_indexer_set_spelling_database(cx_indexer_t *indexer,
                                                        cx_database_t *database,
                                                        char **message) noexcept {
    if (!indexer) return invalid(message, "indexer is required");
    if (database && !database->writable) return read_only(message);
    CX_TRY
    if (database) {
        indexer->generator.set_database(*database->writable);
        indexer->generator.set_flags(Xapian::TermGenerator::FLAG_SPELLING);
    } else {
        indexer->generator.set_flags(0);
        indexer->generator.set_database(Xapian::WritableDatabase());
    }
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_indexer_set_document(cx_indexer_t *indexer,
                                               cx_document_t *document,
                                               char **message) noexcept {
    if (!indexer || !document) return invalid(message, "indexer and document are required");
    CX_TRY
    // TermGenerator keeps a handle to the document's shared internals, so
    // terms added through it land in the caller's document.
    indexer->generator.set_document(document->doc);
    indexer->generator.set_termpos(0);
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_indexer_index_text(cx_indexer_t *indexer,
                                             const char *text, size_t length,
                                             uint32_t wdf_increment,
                                             const char *prefix,
                                             char **message) noexcept {
    if (!indexer || (!text && length)) return invalid(message, "indexer is required");
    CX_TRY
    indexer->generator.index_text(Xapian::Utf8Iterator(text ? text : "", length),
                                  wdf_increment, prefix ? prefix : "");
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_indexer_detach_document(cx_indexer_t *indexer,
                                                  char **message) noexcept {
    if (!indexer) return invalid(message, "indexer is required");
    CX_TRY
    indexer->generator.set_document(Xapian::Document());
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_indexer_increase_position(cx_indexer_t *indexer,
                                                    uint32_t delta,
                                                    char **message) noexcept {
    if (!indexer) return invalid(message, "indexer is required");
    CX_TRY
    indexer->generator.increase_termpos(delta);
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_stem_word(const char *language, const char *word,
                                     char **stem, char **message) noexcept {
    if (!language || !word || !stem) return invalid(message, "language, word and stem are required");
    CX_TRY
    Xapian::Stem stemmer;
    try {
        stemmer = Xapian::Stem(language);
    } catch (const Xapian::InvalidArgumentError &) {
        return invalid(message, std::string("unknown stemming language: ").append(language).c_str());
    }
    return give_bytes(stemmer(word), stem, nullptr, message);
    CX_CATCH(message)
}

// MARK: - Queries

namespace {
cx_status_t give_query(Xapian::Query q, cx_query_t **query, char **message) {
    if (!query) return invalid(message, "query is required");
    auto handle = std::make_unique<cx_query>();
    handle->query = std::move(q);
    *query = handle.release();
    return CX_STATUS_SUCCESS;
}
}  // namespace

extern "C" cx_status_t cx_query_new_match_all(cx_query_t **query,
                                              char **message) noexcept {
    CX_TRY
    return give_query(Xapian::Query::MatchAll, query, message);
    CX_CATCH(message)
}

extern "C" cx_status_t cx_query_new_match_nothing(cx_query_t **query,
                                                  char **message) noexcept {
    CX_TRY
    return give_query(Xapian::Query::MatchNothing, query, message);
    CX_CATCH(message)
}

extern "C" cx_status_t cx_query_new_term(const char *term, size_t length,
                                         int boolean, cx_query_t **query,
                                         char **message) noexcept {
    if (!term) return invalid(message, "term is required");
    CX_TRY
    Xapian::Query q(std::string(term, length));
    if (boolean) q = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, 0.0);
    return give_query(std::move(q), query, message);
    CX_CATCH(message)
}

extern "C" cx_status_t cx_query_new_value_range(uint32_t slot,
                                                const char *lower,
                                                size_t lower_length,
                                                const char *upper,
                                                size_t upper_length,
                                                cx_query_t **query,
                                                char **message) noexcept {
    if (slot == CX_NO_SLOT) return invalid(message, "invalid value slot");
    CX_TRY
    std::string lo(lower ? lower : "", lower ? lower_length : 0);
    std::string hi(upper ? upper : "", upper ? upper_length : 0);
    Xapian::Query q;
    if (lo.empty() && hi.empty())
        q = Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, std::string());
    else if (hi.empty())
        q = Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, lo);
    else if (lo.empty())
        q = Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, hi);
    else
        q = Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, lo, hi);
    return give_query(std::move(q), query, message);
    CX_CATCH(message)
}

extern "C" cx_status_t cx_query_combine(cx_query_op_t op,
                                        cx_query_t *const *subqueries,
                                        size_t count, cx_query_t **query,
                                        char **message) noexcept {
    if (!subqueries && count) return invalid(message, "subqueries are required");
    for (size_t i = 0; i < count; ++i)
        if (!subqueries[i]) return invalid(message, "a subquery is NULL");
    CX_TRY
    Xapian::Query::op xop;
    switch (op) {
        case CX_QUERY_AND: xop = Xapian::Query::OP_AND; break;
        case CX_QUERY_OR: xop = Xapian::Query::OP_OR; break;
        case CX_QUERY_AND_NOT: xop = Xapian::Query::OP_AND_NOT; break;
        case CX_QUERY_FILTER: xop = Xapian::Query::OP_FILTER; break;
        case CX_QUERY_AND_MAYBE: xop = Xapian::Query::OP_AND_MAYBE; break;
        case CX_QUERY_SYNONYM: xop = Xapian::Query::OP_SYNONYM; break;
        default: return invalid(message, "unknown query operator");
    }
    std::vector<Xapian::Query> parts;
    parts.reserve(count);
    for (size_t i = 0; i < count; ++i) parts.push_back(subqueries[i]->query);
    return give_query(Xapian::Query(xop, parts.begin(), parts.end()), query, message);
    CX_CATCH(message)
}

extern "C" cx_status_t cx_query_combine_window(cx_query_op_t op,
                                               cx_query_t *const *subqueries,
                                               size_t count, uint32_t window,
                                               cx_query_t **query,
                                               char **message) noexcept {
    if (!subqueries && count) return invalid(message, "subqueries are required");
    for (size_t i = 0; i < count; ++i)
        if (!subqueries[i]) return invalid(message, "a subquery is NULL");
    Xapian::Query::op xop;
    switch (op) {
        case CX_QUERY_PHRASE: xop = Xapian::Query::OP_PHRASE; break;
        case CX_QUERY_NEAR: xop = Xapian::Query::OP_NEAR; break;
        default: return invalid(message, "only PHRASE and NEAR take a window");
    }
    CX_TRY
    std::vector<Xapian::Query> parts;
    parts.reserve(count);
    for (size_t i = 0; i < count; ++i) parts.push_back(subqueries[i]->query);
    return give_query(Xapian::Query(xop, parts.begin(), parts.end(), window), query, message);
    CX_CATCH(message)
}

extern "C" cx_status_t cx_query_scale(cx_query_t *subquery, double factor,
                                      cx_query_t **query,
                                      char **message) noexcept {
    if (!subquery || factor < 0) return invalid(message, "subquery and a non-negative factor are required");
    CX_TRY
    return give_query(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, subquery->query, factor), query, message);
    CX_CATCH(message)
}

extern "C" cx_status_t cx_query_copy(const cx_query_t *query, cx_query_t **copy,
                                      char **message) noexcept {
    if (!query) return invalid(message, "query is required");
    CX_TRY
    return give_query(query->query, copy, message);
    CX_CATCH(message)
}

extern "C" cx_status_t cx_query_describe(const cx_query_t *query,
                                         char **description,
                                         char **message) noexcept {
    if (!query || !description) return invalid(message, "query and description are required");
    CX_TRY
    return give_bytes(query->query.get_description(), description, nullptr, message);
    CX_CATCH(message)
}

extern "C" cx_status_t cx_query_serialise(const cx_query_t *query, char **bytes,
                                          size_t *length, char **message) noexcept {
    if (!query || !bytes) return invalid(message, "query and bytes are required");
    CX_TRY
    return give_bytes(query->query.serialise(), bytes, length, message);
    CX_CATCH(message)
}

extern "C" cx_status_t cx_query_terms(const cx_query_t *query,
                                      cx_strings_t **terms,
                                      char **message) noexcept {
    if (!query || !terms) return invalid(message, "query and terms are required");
    CX_TRY
    auto list = std::make_unique<cx_strings>();
    for (auto it = query->query.get_unique_terms_begin(); it != query->query.get_terms_end(); ++it) {
        list->items.push_back(*it);
        list->frequencies.push_back(0);
    }
    *terms = list.release();
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" int cx_query_is_empty(const cx_query_t *query) noexcept {
    return !query || query->query.empty() ? 1 : 0;
}

extern "C" void cx_query_destroy(cx_query_t *query) noexcept { delete query; }

// MARK: - Query parser

extern "C" cx_status_t cx_parser_new(const char *language,
                                     cx_database_t *database,
                                     cx_parser_t **parser,
                                     char **message) noexcept {
    if (!parser) return invalid(message, "parser is required");
    CX_TRY
    auto handle = std::make_unique<cx_parser>();
    try {
        handle->stemmer = Xapian::Stem(language ? language : "none");
    } catch (const Xapian::InvalidArgumentError &) {
        return invalid(message, std::string("unknown stemming language: ").append(language ? language : "").c_str());
    }
    handle->parser.set_stemmer(handle->stemmer);
    handle->parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    if (database) handle->parser.set_database(*database->db);
    *parser = handle.release();
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" void cx_parser_destroy(cx_parser_t *parser) noexcept { delete parser; }

extern "C" cx_status_t cx_parser_add_prefix(cx_parser_t *parser,
                                            const char *field,
                                            const char *prefix,
                                            char **message) noexcept {
    if (!parser || !field || !prefix) return invalid(message, "parser, field and prefix are required");
    CX_TRY
    parser->parser.add_prefix(field, prefix);
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_parser_add_filter(cx_parser_t *parser,
                                            const char *field,
                                            cx_field_callback_t callback,
                                            void *context,
                                            char **message) noexcept {
    if (!parser || !field || !*field || !callback) return invalid(message, "parser, field and callback are required");
    CX_TRY
    auto *processor = new CallbackFieldProcessor(callback, context);
    parser->parser.add_boolean_prefix(field, processor->release());
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_parser_set_stopwords(cx_parser_t *parser,
                                               const char *const *words,
                                               size_t count,
                                               char **message) noexcept {
    if (!parser || (!words && count)) return invalid(message, "parser and words are required");
    for (size_t i = 0; i < count; ++i)
        if (!words[i]) return invalid(message, "a stopword is NULL");
    CX_TRY
    // The parser keeps the stopper alive through its reference count.
    auto *stopper = new Xapian::SimpleStopper();
    for (size_t i = 0; i < count; ++i) stopper->add(words[i]);
    parser->parser.set_stopper(stopper->release());
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_parser_set_max_wildcard_expansion(cx_parser_t *parser,
                                                            uint32_t limit,
                                                            char **message) noexcept {
    if (!parser) return invalid(message, "parser is required");
    CX_TRY
    parser->parser.set_max_expansion(limit, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT,
                                     Xapian::QueryParser::FLAG_WILDCARD | Xapian::QueryParser::FLAG_PARTIAL);
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_parser_parse(cx_parser_t *parser, const char *text,
                                       size_t length, unsigned flags,
                                       cx_query_t **query, char **corrected,
                                       char **message) noexcept {
    if (!parser || (!text && length) || !query) return invalid(message, "parser, text and query are required");
    CX_TRY
    Xapian::Query q = parser->parser.parse_query(std::string(text ? text : "", length), flags);
    std::string correction = (flags & CX_PARSE_SPELLING) ? parser->parser.get_corrected_query_string() : std::string();
    cx_status_t status = give_query(std::move(q), query, message);
    if (status != CX_STATUS_SUCCESS) return status;
    if (corrected) {
        status = give_bytes(correction, corrected, nullptr, message);
        if (status != CX_STATUS_SUCCESS) {
            cx_query_destroy(*query);
            *query = nullptr;
        }
    }
    return status;
    CX_CATCH(message)
}

// MARK: - Searching

extern "C" void cx_search_options_init(cx_search_options_t *options) noexcept {
    if (!options) return;
    options->offset = 0;
    options->limit = 10;
    options->sort = CX_SORT_RELEVANCE;
    options->sort_slot = CX_NO_SLOT;
    options->collapse_slot = CX_NO_SLOT;
    options->facet_slots = nullptr;
    options->facet_slot_count = 0;
    options->check_at_least = 0;
    options->bm25_k1 = -1;
    options->bm25_b = -1;
    options->language = nullptr;
}

extern "C" cx_status_t cx_database_search(cx_database_t *database,
                                          const cx_query_t *query,
                                          const cx_search_options_t *options,
                                          cx_mset_t **mset,
                                          char **message) noexcept {
    if (!database || !query || !options || !mset) return invalid(message, "database, query, options and mset are required");
    if (options->facet_slot_count && !options->facet_slots) return invalid(message, "facet slots are required");
    if (options->sort != CX_SORT_RELEVANCE && options->sort_slot == CX_NO_SLOT) return invalid(message, "a sort slot is required");
    CX_TRY
    auto result = std::make_unique<cx_mset>(*database->db);
    try {
        result->stemmer = Xapian::Stem(options->language ? options->language : "none");
    } catch (const Xapian::InvalidArgumentError &) {
        return invalid(message, "unknown stemming language");
    }
    Xapian::Enquire &enquire = result->enquire;
    enquire.set_query(query->query);
    if (options->bm25_k1 >= 0 || options->bm25_b >= 0) {
        double k1 = options->bm25_k1 >= 0 ? options->bm25_k1 : 1.0;
        double b = options->bm25_b >= 0 ? options->bm25_b : 0.5;
        enquire.set_weighting_scheme(Xapian::BM25Weight(k1, 0, 1, b, 0.5));
    }
    switch (options->sort) {
        case CX_SORT_RELEVANCE: break;
        case CX_SORT_VALUE_ASCENDING:
            enquire.set_sort_by_value_then_relevance(options->sort_slot, false);
            break;
        case CX_SORT_VALUE_DESCENDING:
            enquire.set_sort_by_value_then_relevance(options->sort_slot, true);
            break;
        default: return invalid(message, "unknown sort");
    }
    if (options->collapse_slot != CX_NO_SLOT) enquire.set_collapse_key(options->collapse_slot);
    std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
    for (size_t i = 0; i < options->facet_slot_count; ++i)
        spies.push_back(std::make_unique<Xapian::ValueCountMatchSpy>(options->facet_slots[i]));
    // Over remote shards, Xapian 1.4 loses the collapse counts of remote
    // hits: count the collapse keys with a spy instead.
    const bool remote = database->remote_shards > 0;
    result->remote = remote;
    std::unique_ptr<Xapian::ValueCountMatchSpy> collapse_spy;
    if (remote && options->collapse_slot != CX_NO_SLOT)
        collapse_spy = std::make_unique<Xapian::ValueCountMatchSpy>(options->collapse_slot);
    // Over remote shards, Xapian 1.4 shows remote hits that sort below the
    // page to the spies a second time when sorting by value (multimatch.cc
    // skips its is_remote check on that path): count in a separate pass,
    // ordered by relevance, which counts each match once.
    const bool separate_pass = remote && options->sort != CX_SORT_RELEVANCE &&
                               (!spies.empty() || collapse_spy);
    auto add_spies = [&](Xapian::Enquire &e) {
        for (auto &spy : spies) e.add_matchspy(spy.get());
        if (collapse_spy) e.add_matchspy(collapse_spy.get());
    };
    if (!separate_pass) add_spies(enquire);
    result->mset = enquire.get_mset(options->offset, options->limit, options->check_at_least);
    enquire.clear_matchspies();
    if (separate_pass) {
        Xapian::Enquire counting(*database->db);
        counting.set_query(query->query);
        if (options->bm25_k1 >= 0 || options->bm25_b >= 0) {
            double k1 = options->bm25_k1 >= 0 ? options->bm25_k1 : 1.0;
            double b = options->bm25_b >= 0 ? options->bm25_b : 0.5;
            counting.set_weighting_scheme(Xapian::BM25Weight(k1, 0, 1, b, 0.5));
        }
        add_spies(counting);
        counting.get_mset(0, 0, options->check_at_least);
        counting.clear_matchspies();
    }
    if (collapse_spy) {
        std::map<std::string, uint32_t> per_key;
        for (auto it = collapse_spy->values_begin(); it != collapse_spy->values_end(); ++it)
            per_key[*it] = it.get_termfreq();
        for (auto it = result->mset.begin(); it != result->mset.end(); ++it) {
            auto found = per_key.find(it.get_collapse_key());
            uint32_t n = found == per_key.end() ? 0 : found->second;
            result->collapse_counts.push_back(n > 0 ? n - 1 : 0);
        }
    }
    for (auto &spy : spies) {
        cx_strings counts;
        std::vector<std::pair<std::string, uint32_t>> pairs;
        for (auto it = spy->values_begin(); it != spy->values_end(); ++it)
            pairs.emplace_back(*it, it.get_termfreq());
        std::sort(pairs.begin(), pairs.end(), [](const auto &a, const auto &b) {
            return a.second != b.second ? a.second > b.second : a.first < b.first;
        });
        for (auto &p : pairs) {
            counts.items.push_back(std::move(p.first));
            counts.frequencies.push_back(p.second);
        }
        result->facets.push_back(std::move(counts));
    }
    *mset = result.release();
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" void cx_mset_destroy(cx_mset_t *mset) noexcept { delete mset; }

extern "C" size_t cx_mset_size(const cx_mset_t *mset) noexcept { return mset ? mset->mset.size() : 0; }

extern "C" void cx_mset_matches(const cx_mset_t *mset, uint32_t *estimated,
                                uint32_t *lower, uint32_t *upper) noexcept {
    if (!mset) return;
    if (estimated) *estimated = mset->mset.get_matches_estimated();
    if (lower) *lower = mset->mset.get_matches_lower_bound();
    if (upper) *upper = mset->mset.get_matches_upper_bound();
}

extern "C" cx_status_t cx_mset_hit(const cx_mset_t *mset, size_t index,
                                   cx_docid_t *docid, double *weight,
                                   int *percent, uint32_t *collapsed,
                                   char **message) noexcept {
    if (!mset || index >= mset->mset.size()) return invalid(message, "hit index out of range");
    CX_TRY
    auto it = mset->mset[static_cast<Xapian::doccount>(index)];
    if (docid) *docid = *it;
    if (weight) *weight = it.get_weight();
    if (percent) *percent = it.get_percent();
    if (collapsed)
        *collapsed = index < mset->collapse_counts.size() ? mset->collapse_counts[index]
                                                          : it.get_collapse_count();
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

extern "C" cx_status_t cx_mset_hit_data(cx_mset_t *mset, size_t index,
                                        char **data, size_t *length,
                                        char **message) noexcept {
    if (!mset || index >= mset->mset.size() || !data) return invalid(message, "hit index out of range");
    CX_TRY
    return give_bytes(mset->mset[static_cast<Xapian::doccount>(index)].get_document().get_data(),
                      data, length, message);
    CX_CATCH(message)
}

extern "C" cx_status_t cx_mset_hit_value(cx_mset_t *mset, size_t index,
                                         uint32_t slot, char **value,
                                         size_t *length,
                                         char **message) noexcept {
    if (!mset || index >= mset->mset.size() || !value) return invalid(message, "hit index out of range");
    CX_TRY
    return give_bytes(mset->mset[static_cast<Xapian::doccount>(index)].get_document().get_value(slot),
                      value, length, message);
    CX_CATCH(message)
}

extern "C" cx_status_t cx_mset_snippet(cx_mset_t *mset, const char *text,
                                       size_t text_length, size_t length,
                                       const char *highlight_start,
                                       const char *highlight_end,
                                       const char *omit,
                                       int empty_without_match, char **snippet,
                                       char **message) noexcept {
    if (!mset || (!text && text_length) || !snippet) return invalid(message, "mset, text and snippet are required");
    CX_TRY
    // The background model looks up the frequency of every word of the
    // text: over a remote shard, a round trip per word.
    unsigned flags = Xapian::MSet::SNIPPET_EXHAUSTIVE;
    if (!mset->remote) flags |= Xapian::MSet::SNIPPET_BACKGROUND_MODEL;
    if (empty_without_match) flags |= Xapian::MSet::SNIPPET_EMPTY_WITHOUT_MATCH;
    std::string s = mset->mset.snippet(std::string(text ? text : "", text_length), length,
                                       mset->stemmer, flags,
                                       highlight_start ? highlight_start : "",
                                       highlight_end ? highlight_end : "",
                                       omit ? omit : "");
    return give_bytes(s, snippet, nullptr, message);
    CX_CATCH(message)
}

extern "C" cx_status_t cx_mset_facet(const cx_mset_t *mset, size_t facet,
                                     cx_strings_t **values,
                                     char **message) noexcept {
    if (!mset || !values || facet >= mset->facets.size()) return invalid(message, "facet index out of range");
    CX_TRY
    *values = new cx_strings(mset->facets[facet]);
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}

// MARK: - Relevance feedback

extern "C" cx_status_t cx_database_expand(cx_database_t *database,
                                          const cx_docid_t *docids,
                                          size_t docid_count, size_t count,
                                          const char *const *skip_prefixes,
                                          size_t skip_prefix_count,
                                          cx_strings_t **terms,
                                          char **message) noexcept {
    if (!database || (!docids && docid_count) || !terms || (!skip_prefixes && skip_prefix_count))
        return invalid(message, "database, docids and terms are required");
    CX_TRY
    Xapian::Enquire enquire(*database->db);
    Xapian::RSet rset;
    for (size_t i = 0; i < docid_count; ++i) rset.add_document(docids[i]);
    std::vector<std::string> prefixes;
    for (size_t i = 0; i < skip_prefix_count; ++i)
        if (skip_prefixes[i]) prefixes.emplace_back(skip_prefixes[i]);
    SkipPrefixes decider(prefixes);
    // Exact term frequencies: over several shards Xapian otherwise scales
    // the frequency in one shard, and ranks the terms differently from a
    // single database holding the same documents.
    Xapian::ESet eset = enquire.get_eset(static_cast<Xapian::termcount>(count), rset,
                                         Xapian::Enquire::USE_EXACT_TERMFREQ, &decider);
    auto list = std::make_unique<cx_strings>();
    for (auto it = eset.begin(); it != eset.end(); ++it) {
        list->items.push_back(*it);
        // The term's expand weight, in thousandths.
        double w = it.get_weight() * 1000.0;
        list->frequencies.push_back(w <= 0 ? 0 : w >= 4e9 ? 4000000000u : static_cast<uint32_t>(w));
    }
    *terms = list.release();
    return CX_STATUS_SUCCESS;
    CX_CATCH(message)
}
