/* council_xapian.h - a C API over the Xapian search library (1.4).
 *
 * The shape follows notmuch's lib/notmuch.h:
 *
 *   - every Xapian object is behind an opaque handle (cx_database_t,
 *     cx_document_t, cx_indexer_t, cx_query_t, cx_parser_t, cx_mset_t,
 *     cx_strings_t);
 *   - every fallible call returns a cx_status_t (CX_STATUS_SUCCESS is 0) and
 *     hands its results back through out-parameters;
 *   - every fallible call takes a trailing `char **message`: when it is not
 *     NULL and the call fails, *message is set to a malloc'd, NUL-terminated
 *     description of the failure which the caller releases with cx_free();
 *     on success *message is left untouched;
 *   - no C++ exception ever crosses this boundary;
 *   - byte strings that may hold NUL (document data, values, terms) are
 *     passed as pointer + length.
 *
 * Threads: a handle may be used from any thread, but from one thread at a
 * time; distinct handles are independent.
 */
#ifndef COUNCIL_XAPIAN_H
#define COUNCIL_XAPIAN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
/* Every function is noexcept: a C++ exception that escaped would terminate
 * the process rather than unwind through C or Swift frames. */
#define CX_NOEXCEPT noexcept
extern "C" {
#else
#define CX_NOEXCEPT
#endif

/* ---------------------------------------------------------------------- */
/* Status codes                                                            */

typedef enum cx_status {
    /** The call succeeded. */
    CX_STATUS_SUCCESS = 0,
    /** Memory ran out. */
    CX_STATUS_OUT_OF_MEMORY,
    /** A required argument was NULL or out of range. */
    CX_STATUS_INVALID_ARGUMENT,
    /** No database exists at the given path (Xapian::DatabaseNotFoundError). */
    CX_STATUS_DATABASE_NOT_FOUND,
    /** A database exists but could not be opened (Xapian::DatabaseOpeningError). */
    CX_STATUS_DATABASE_OPENING,
    /** The database format is not supported (Xapian::DatabaseVersionError). */
    CX_STATUS_DATABASE_VERSION,
    /** Another process holds the write lock (Xapian::DatabaseLockError). */
    CX_STATUS_DATABASE_LOCKED,
    /** The database changed under a reader; reopen and retry
     *  (Xapian::DatabaseModifiedError). */
    CX_STATUS_DATABASE_MODIFIED,
    /** The database is damaged (Xapian::DatabaseCorruptError). */
    CX_STATUS_DATABASE_CORRUPT,
    /** A database could not be created (Xapian::DatabaseCreateError). */
    CX_STATUS_DATABASE_CREATE,
    /** Any other database failure, including I/O errors such as a full disk
     *  (Xapian::DatabaseError). */
    CX_STATUS_DATABASE_ERROR,
    /** The handle is read-only but the call writes. */
    CX_STATUS_READ_ONLY,
    /** No document has the given id (Xapian::DocNotFoundError). */
    CX_STATUS_DOCUMENT_NOT_FOUND,
    /** The query string could not be parsed (Xapian::QueryParserError), or a
     *  field callback rejected a value. */
    CX_STATUS_QUERY_SYNTAX,
    /** A wildcard expanded to too many terms (Xapian::WildcardError). */
    CX_STATUS_WILDCARD,
    /** A remote database failed or timed out (Xapian::NetworkError). */
    CX_STATUS_NETWORK,
    /** The operation is not possible in this state
     *  (Xapian::InvalidOperationError, InvalidArgumentError). */
    CX_STATUS_INVALID_OPERATION,
    /** The backend does not implement the operation
     *  (Xapian::UnimplementedError, FeatureUnavailableError). */
    CX_STATUS_UNIMPLEMENTED,
    /** Any other Xapian::Error. */
    CX_STATUS_XAPIAN_ERROR,
    /** A C++ exception that is not a Xapian::Error. */
    CX_STATUS_INTERNAL_ERROR,
    /** A remote database did not answer within its timeout
     *  (Xapian::NetworkTimeoutError). Every call documented to return
     *  NETWORK may return NETWORK_TIMEOUT instead. */
    CX_STATUS_NETWORK_TIMEOUT,
    /** Not a status; one past the last. */
    CX_STATUS_LAST_STATUS
} cx_status_t;

/** A short, static description of a status ("database is locked"). */
const char *cx_status_to_string(cx_status_t status) CX_NOEXCEPT;

/** Release a string returned through a `char **message` out-parameter or
 *  any other malloc'd result of this API. NULL is allowed. */
void cx_free(void *pointer) CX_NOEXCEPT;

/** The version of the Xapian library in use ("1.4.22"). Static. */
const char *cx_xapian_version(void) CX_NOEXCEPT;

/* ---------------------------------------------------------------------- */
/* String lists                                                            */

/** An immutable list of byte strings, owned by the caller once returned. */
typedef struct cx_strings cx_strings_t;

/** The number of strings. */
size_t cx_strings_count(const cx_strings_t *list) CX_NOEXCEPT;
/** String `index` (< count) as pointer + length; the pointer belongs to the
 *  list and is valid until cx_strings_destroy(). `frequency` (may be NULL)
 *  receives the term frequency where the list holds terms, else 0. */
const char *cx_strings_get(const cx_strings_t *list, size_t index,
                           size_t *length, uint32_t *frequency) CX_NOEXCEPT;
/** Destroy the list. NULL is allowed. */
void cx_strings_destroy(cx_strings_t *list) CX_NOEXCEPT;

/* ---------------------------------------------------------------------- */
/* Databases                                                               */

typedef struct cx_database cx_database_t;
typedef uint32_t cx_docid_t;

typedef enum cx_open_mode {
    /** Open for reading: a database directory or a stub database file
     *  (lines of `auto PATH` or `remote HOST:PORT`). */
    CX_OPEN_READ_ONLY = 0,
    /** Open for writing, creating the database if it does not exist. */
    CX_OPEN_CREATE_OR_OPEN,
    /** Open for writing, creating it; replace any existing database. */
    CX_OPEN_CREATE_OR_OVERWRITE,
    /** Open an existing database for writing; fail if there is none. */
    CX_OPEN_WRITE_EXISTING,
    /** Flag to OR into a writable mode: wait for the write lock instead of
     *  failing with DATABASE_LOCKED. */
    CX_OPEN_WAIT_FOR_LOCK = 0x100
} cx_open_mode_t;

/** Open the database at `path` in `mode` (a cx_open_mode_t, with
 *  CX_OPEN_WAIT_FOR_LOCK OR'd in where wanted).
 *
 *  Writable modes take Xapian's write lock, and fail at once when another
 *  writer holds it unless CX_OPEN_WAIT_FOR_LOCK is given.
 *
 *  On success *database receives a new handle, released with
 *  cx_database_destroy().
 *
 *  Returns: SUCCESS, INVALID_ARGUMENT, DATABASE_NOT_FOUND, DATABASE_OPENING,
 *  DATABASE_VERSION, DATABASE_LOCKED, DATABASE_CORRUPT, DATABASE_CREATE,
 *  DATABASE_ERROR, NETWORK, OUT_OF_MEMORY, XAPIAN_ERROR, INTERNAL_ERROR.
 */
cx_status_t cx_database_open(const char *path, unsigned mode,
                             cx_database_t **database, char **message) CX_NOEXCEPT;

/** Open a remote database for reading over TCP, served by xapian-tcpsrv
 *  at `host`:`port` (Xapian::Remote::open). `connect_timeout_ms` bounds the
 *  connection and `timeout_ms` every later operation (0: no timeout; use
 *  bounded timeouts so a shard that does not answer cannot hang the
 *  caller).
 *
 *  Returns: SUCCESS, INVALID_ARGUMENT, NETWORK (e.g. connection refused),
 *  NETWORK_TIMEOUT, DATABASE_OPENING, DATABASE_VERSION, DATABASE_*,
 *  OUT_OF_MEMORY, XAPIAN_ERROR, INTERNAL_ERROR. */
cx_status_t cx_database_open_remote(const char *host, unsigned port,
                                    unsigned timeout_ms,
                                    unsigned connect_timeout_ms,
                                    cx_database_t **database,
                                    char **message) CX_NOEXCEPT;

/** Open a remote database for reading by running `program` with the
 *  space-separated `args` and speaking Xapian's remote protocol on its
 *  standard input and output (Xapian::Remote::open), e.g. "ssh" with
 *  "host xapian-progsrv /srv/index", or "xapian-progsrv" with a path.
 *  `timeout_ms` bounds every operation, including the greeting.
 *  Returns: as cx_database_open_remote(). */
cx_status_t cx_database_open_remote_program(const char *program,
                                            const char *args,
                                            unsigned timeout_ms,
                                            cx_database_t **database,
                                            char **message) CX_NOEXCEPT;

/** A new read-only handle searching the `count` databases `shards` as one
 *  (Xapian::Database::add_database): document ids interleave (id d of
 *  shard i of n is (d - 1) * n + i + 1), so ids from it are only meaningful
 *  to the combined handle. The shards stay owned by the caller; the new
 *  handle shares their connections and files and stays valid after they
 *  are destroyed. Searching a handle with remote shards works around two
 *  limits of Xapian 1.4's remote backend (see cx_database_search()).
 *  Returns: SUCCESS, INVALID_ARGUMENT, OUT_OF_MEMORY, XAPIAN_ERROR,
 *  INTERNAL_ERROR. */
cx_status_t cx_database_combine(cx_database_t *const *shards, size_t count,
                                cx_database_t **database,
                                char **message) CX_NOEXCEPT;

/** The number of databases the handle searches (*shards; 1 for a plain
 *  database, 0 for an empty stub) and how many of them were opened with
 *  cx_database_open_remote*() (*remote; a stub file opened with
 *  cx_database_open() counts its remote lines as 0). Either may be NULL.
 *  Returns: SUCCESS, INVALID_ARGUMENT. */
cx_status_t cx_database_shards(const cx_database_t *database, size_t *shards,
                               size_t *remote, char **message) CX_NOEXCEPT;

/** Reopen a read-only database at its latest revision (a no-op when the
 *  database did not change). *changed (may be NULL) is set to 1 when a newer
 *  revision was loaded.
 *  Returns: SUCCESS, INVALID_ARGUMENT, DATABASE_*, NETWORK, XAPIAN_ERROR,
 *  INTERNAL_ERROR. */
cx_status_t cx_database_reopen(cx_database_t *database, int *changed,
                               char **message) CX_NOEXCEPT;

/** Close the database as Xapian's close() does: a writable database
 *  commits pending changes outside a transaction (an open transaction is
 *  abandoned) and releases its lock; every later call on the handle fails
 *  with DATABASE_ERROR. The handle must still be destroyed.
 *  Returns: SUCCESS, INVALID_ARGUMENT, DATABASE_ERROR, XAPIAN_ERROR,
 *  INTERNAL_ERROR. */
cx_status_t cx_database_close(cx_database_t *database, char **message) CX_NOEXCEPT;

/** Destroy the handle. A writable database is closed (committing and
 *  releasing its lock); a read-only one stays open for any combined
 *  handle or result page sharing it. NULL is allowed. */
void cx_database_destroy(cx_database_t *database) CX_NOEXCEPT;

/** 1 if the handle was opened writable, else 0. */
int cx_database_is_writable(const cx_database_t *database) CX_NOEXCEPT;

/** Statistics: number of documents, last document id, and the revision
 *  (0 for databases made of several shards). Any out-parameter may be NULL.
 *  Returns: SUCCESS, INVALID_ARGUMENT, DATABASE_*, NETWORK, XAPIAN_ERROR,
 *  INTERNAL_ERROR. */
cx_status_t cx_database_stats(cx_database_t *database, uint32_t *doccount,
                              cx_docid_t *lastdocid, uint64_t *revision,
                              char **message) CX_NOEXCEPT;

/** The number of documents indexed by `term` (its term frequency).
 *  Returns: as cx_database_stats(). */
cx_status_t cx_database_term_frequency(cx_database_t *database,
                                       const char *term, size_t term_length,
                                       uint32_t *frequency, char **message) CX_NOEXCEPT;

/** All terms starting with `prefix`, in byte order, with their frequencies;
 *  at most `limit` of them (0: no limit). *terms receives a list the caller
 *  destroys. Returns: as cx_database_stats(). */
cx_status_t cx_database_terms_with_prefix(cx_database_t *database,
                                          const char *prefix,
                                          size_t prefix_length, size_t limit,
                                          cx_strings_t **terms,
                                          char **message) CX_NOEXCEPT;

/** The ids of every document indexed by `term`, ascending; at most `limit`
 *  (0: no limit). *docids receives a malloc'd array freed with cx_free(),
 *  or NULL when *count is 0. Returns: as cx_database_stats(). */
cx_status_t cx_database_postings(cx_database_t *database, const char *term,
                                 size_t term_length, size_t limit,
                                 cx_docid_t **docids, size_t *count,
                                 char **message) CX_NOEXCEPT;

/** The user metadata stored under `key` (empty when unset). *value receives
 *  a malloc'd buffer (NUL-terminated for convenience) freed with cx_free().
 *  Returns: as cx_database_stats(). */
cx_status_t cx_database_get_metadata(cx_database_t *database, const char *key,
                                     char **value, size_t *value_length,
                                     char **message) CX_NOEXCEPT;

/** Every user metadata key starting with `prefix`.
 *  Returns: as cx_database_stats(). */
cx_status_t cx_database_metadata_keys(cx_database_t *database,
                                      const char *prefix, cx_strings_t **keys,
                                      char **message) CX_NOEXCEPT;

/** A spelling correction for `word` from the database's spelling table, at
 *  most `max_edit_distance` edits away; *suggestion receives a malloc'd
 *  string (empty when there is none). Returns: as cx_database_stats(). */
cx_status_t cx_database_spelling_suggestion(cx_database_t *database,
                                            const char *word,
                                            unsigned max_edit_distance,
                                            char **suggestion,
                                            char **message) CX_NOEXCEPT;

/** The synonyms recorded for `term`. Returns: as cx_database_stats(). */
cx_status_t cx_database_synonyms(cx_database_t *database, const char *term,
                                 cx_strings_t **synonyms, char **message) CX_NOEXCEPT;

/* Writing. Every call below returns READ_ONLY on a read-only handle, and
 * may return DATABASE_ERROR (for example when the disk is full),
 * DATABASE_CORRUPT, INVALID_OPERATION, XAPIAN_ERROR, OUT_OF_MEMORY and
 * INTERNAL_ERROR as well as the statuses listed. */

/** Set (or, with an empty value, delete) user metadata under `key`. */
cx_status_t cx_database_set_metadata(cx_database_t *database, const char *key,
                                     const char *value, size_t value_length,
                                     char **message) CX_NOEXCEPT;

/** Add `synonym` as a synonym of `term` (both as indexed, e.g. "Zlep"). */
cx_status_t cx_database_add_synonym(cx_database_t *database, const char *term,
                                    const char *synonym, char **message) CX_NOEXCEPT;

/** Remove every synonym of every term. */
cx_status_t cx_database_clear_synonyms(cx_database_t *database,
                                       char **message) CX_NOEXCEPT;

/** Commit pending changes: durable and visible to new readers once this
 *  returns SUCCESS. */
cx_status_t cx_database_commit(cx_database_t *database, char **message) CX_NOEXCEPT;

/** Begin a transaction; with `flushed` 1, the changes before it are
 *  committed first and the transaction commits atomically as a whole. */
cx_status_t cx_database_begin_transaction(cx_database_t *database,
                                          int flushed, char **message) CX_NOEXCEPT;
/** Commit the current transaction. */
cx_status_t cx_database_commit_transaction(cx_database_t *database,
                                           char **message) CX_NOEXCEPT;
/** Abandon the current transaction's changes. */
cx_status_t cx_database_cancel_transaction(cx_database_t *database,
                                           char **message) CX_NOEXCEPT;

typedef struct cx_document cx_document_t;

/** Replace the documents indexed by unique term `idterm` with `document`
 *  (adding it if none is), as Xapian's replace_document(term, doc).
 *  *docid (may be NULL) receives the document's id. The document handle
 *  stays owned by the caller. */
cx_status_t cx_database_replace_document(cx_database_t *database,
                                         const char *idterm,
                                         size_t idterm_length,
                                         cx_document_t *document,
                                         cx_docid_t *docid, char **message) CX_NOEXCEPT;

/** Delete every document indexed by `term`. */
cx_status_t cx_database_delete_documents(cx_database_t *database,
                                         const char *term, size_t term_length,
                                         char **message) CX_NOEXCEPT;

/** Delete document `docid`. Also returns DOCUMENT_NOT_FOUND. */
cx_status_t cx_database_delete_document(cx_database_t *database,
                                        cx_docid_t docid, char **message) CX_NOEXCEPT;

/** Copy the database into a new, compact one at `destination` (a
 *  directory that must not exist), as xapian-compact does.
 *  Returns: SUCCESS, INVALID_ARGUMENT, DATABASE_*, XAPIAN_ERROR,
 *  INTERNAL_ERROR. Works on read-only handles. */
cx_status_t cx_database_compact(cx_database_t *database,
                                const char *destination, char **message) CX_NOEXCEPT;

/** Run Xapian's consistency check over the database at `path` (a
 *  directory or a stub file). *errors receives the number of problems
 *  found; *report (may be NULL) a malloc'd text of what the checker said.
 *  Returns: SUCCESS (even when problems were found: see *errors),
 *  INVALID_ARGUMENT, DATABASE_*, XAPIAN_ERROR, INTERNAL_ERROR. */
cx_status_t cx_database_check(const char *path, size_t *errors, char **report,
                              char **message) CX_NOEXCEPT;

/* ---------------------------------------------------------------------- */
/* Documents                                                               */

/** Create an empty document; destroy it with cx_document_destroy(). */
cx_status_t cx_document_new(cx_document_t **document, char **message) CX_NOEXCEPT;

/** Fetch document `docid`. Returns: SUCCESS, INVALID_ARGUMENT,
 *  DOCUMENT_NOT_FOUND, DATABASE_*, NETWORK, XAPIAN_ERROR, INTERNAL_ERROR. */
cx_status_t cx_database_get_document(cx_database_t *database, cx_docid_t docid,
                                     cx_document_t **document, char **message) CX_NOEXCEPT;

/** Destroy a document. NULL is allowed. */
void cx_document_destroy(cx_document_t *document) CX_NOEXCEPT;

/** Set the document data (opaque bytes). */
cx_status_t cx_document_set_data(cx_document_t *document, const char *data,
                                 size_t length, char **message) CX_NOEXCEPT;

/** The document data; *data receives a malloc'd buffer (NUL-terminated for
 *  convenience) freed with cx_free(). Returns also DATABASE_MODIFIED and
 *  NETWORK for a document read from a database. */
cx_status_t cx_document_get_data(cx_document_t *document, char **data,
                                 size_t *length, char **message) CX_NOEXCEPT;

/** Set value slot `slot`. */
cx_status_t cx_document_add_value(cx_document_t *document, uint32_t slot,
                                  const char *value, size_t length,
                                  char **message) CX_NOEXCEPT;

/** The value in slot `slot` (empty when unset), malloc'd, freed with
 *  cx_free(). */
cx_status_t cx_document_get_value(cx_document_t *document, uint32_t slot,
                                  char **value, size_t *length,
                                  char **message) CX_NOEXCEPT;

/** Add a term without positions (a boolean term when wdf_increment is 0). */
cx_status_t cx_document_add_term(cx_document_t *document, const char *term,
                                 size_t length, uint32_t wdf_increment,
                                 char **message) CX_NOEXCEPT;

/** Every term of the document starting with `prefix` (empty: all). */
cx_status_t cx_document_terms(cx_document_t *document, const char *prefix,
                              cx_strings_t **terms, char **message) CX_NOEXCEPT;

/** Record spelling data for `document` as an indexer with a spelling
 *  database would have while indexing its unprefixed text: each of its
 *  terms that does not start with an ASCII capital (a prefix) is added to
 *  the spelling dictionary once per position it holds. This lets documents
 *  be built on other threads without the database, and the writer record
 *  their spelling data afterwards; the result is the same. Returns:
 *  SUCCESS, INVALID_ARGUMENT, READ_ONLY, DATABASE_*, OUT_OF_MEMORY,
 *  XAPIAN_ERROR, INTERNAL_ERROR. */
cx_status_t cx_database_add_spellings(cx_database_t *database,
                                      cx_document_t *document,
                                      char **message) CX_NOEXCEPT;

/* ---------------------------------------------------------------------- */
/* Indexer: Xapian::TermGenerator with a stemmer                            */

typedef struct cx_indexer cx_indexer_t;

/** Create an indexer stemming with `language` ("english"; "none" for no
 *  stemming) using Xapian's STEM_SOME strategy: unstemmed terms with
 *  positions, and Z-prefixed stems. Returns: SUCCESS, INVALID_ARGUMENT
 *  (unknown language), OUT_OF_MEMORY, INTERNAL_ERROR. */
cx_status_t cx_indexer_new(const char *language, cx_indexer_t **indexer,
                           char **message) CX_NOEXCEPT;

/** Destroy an indexer. NULL is allowed. */
void cx_indexer_destroy(cx_indexer_t *indexer) CX_NOEXCEPT;

/** Record spelling data for unprefixed text in `database` (writable), or
 *  stop doing so with NULL. The database must outlive the indexer or be
 *  detached first. */
cx_status_t cx_indexer_set_spelling_database(cx_indexer_t *indexer,
                                             cx_database_t *database,
                                             char **message) CX_NOEXCEPT;

/** Direct the following calls at `document` (owned by the caller; it must
 *  outlive its use here) and reset the term position to 0. */
cx_status_t cx_indexer_set_document(cx_indexer_t *indexer,
                                    cx_document_t *document, char **message) CX_NOEXCEPT;

/** Index UTF-8 `text` into the current document with `prefix` (may be
 *  empty) and `wdf_increment` per occurrence. */
cx_status_t cx_indexer_index_text(cx_indexer_t *indexer, const char *text,
                                  size_t length, uint32_t wdf_increment,
                                  const char *prefix, char **message) CX_NOEXCEPT;

/** Let go of the current document, so that it may be handed to another
 *  thread: Xapian's handles are reference-counted without locks, and the
 *  indexer would otherwise keep one. Returns: SUCCESS, INVALID_ARGUMENT. */
cx_status_t cx_indexer_detach_document(cx_indexer_t *indexer, char **message) CX_NOEXCEPT;

/** Leave a gap of `delta` positions, so phrases do not match across. */
cx_status_t cx_indexer_increase_position(cx_indexer_t *indexer,
                                         uint32_t delta, char **message) CX_NOEXCEPT;

/** The stem of `word` in `language` ("fostering" -> "foster" in english),
 *  as the indexer and parser compute it; *stem is malloc'd.
 *  Returns: SUCCESS, INVALID_ARGUMENT (unknown language), OUT_OF_MEMORY,
 *  INTERNAL_ERROR. */
cx_status_t cx_stem_word(const char *language, const char *word, char **stem,
                         char **message) CX_NOEXCEPT;

/* ---------------------------------------------------------------------- */
/* Queries                                                                 */

typedef struct cx_query cx_query_t;

typedef enum cx_query_op {
    CX_QUERY_AND = 0,
    CX_QUERY_OR,
    CX_QUERY_AND_NOT,
    CX_QUERY_FILTER,
    CX_QUERY_AND_MAYBE,
    CX_QUERY_SYNONYM,
    /** The subqueries (terms) in order, within a window of positions
     *  (cx_query_combine_window() only). */
    CX_QUERY_PHRASE,
    /** The subqueries (terms) in any order within a window of positions
     *  (cx_query_combine_window() only). */
    CX_QUERY_NEAR
} cx_query_op_t;

/** A query matching every document (with weight 0). */
cx_status_t cx_query_new_match_all(cx_query_t **query, char **message) CX_NOEXCEPT;
/** A query matching nothing. */
cx_status_t cx_query_new_match_nothing(cx_query_t **query, char **message) CX_NOEXCEPT;
/** A query for one term; boolean (weight 0) when `boolean` is 1. */
cx_status_t cx_query_new_term(const char *term, size_t length, int boolean,
                              cx_query_t **query, char **message) CX_NOEXCEPT;
/** Documents whose value in `slot` lies in [lower, upper] (byte order);
 *  an empty bound is open. */
cx_status_t cx_query_new_value_range(uint32_t slot, const char *lower,
                                     size_t lower_length, const char *upper,
                                     size_t upper_length, cx_query_t **query,
                                     char **message) CX_NOEXCEPT;
/** Combine `count` subqueries with `op` (AND_NOT and FILTER take the first
 *  as the left side and the rest on the right). The subqueries stay owned
 *  by the caller. */
cx_status_t cx_query_combine(cx_query_op_t op, cx_query_t *const *subqueries,
                             size_t count, cx_query_t **query, char **message) CX_NOEXCEPT;
/** Combine `count` term subqueries with CX_QUERY_PHRASE or CX_QUERY_NEAR
 *  within `window` positions (0: as many as there are subqueries). The
 *  subqueries stay owned by the caller.
 *  Returns: SUCCESS, INVALID_ARGUMENT (another operator, NULL subqueries),
 *  OUT_OF_MEMORY, INTERNAL_ERROR. */
cx_status_t cx_query_combine_window(cx_query_op_t op, cx_query_t *const *subqueries,
                                    size_t count, uint32_t window, cx_query_t **query,
                                    char **message) CX_NOEXCEPT;
/** Multiply the weights of `subquery` by `factor` (0 makes it boolean). */
cx_status_t cx_query_scale(cx_query_t *subquery, double factor,
                           cx_query_t **query, char **message) CX_NOEXCEPT;
/** A new handle to the same (immutable) query. */
cx_status_t cx_query_copy(const cx_query_t *query, cx_query_t **copy,
                          char **message) CX_NOEXCEPT;
/** The query in Xapian's serialised form (Query::serialise()), for tools
 *  that replay the same query natively; *bytes is malloc'd (freed with
 *  cx_free()), *length its size. Returns: SUCCESS, INVALID_ARGUMENT,
 *  UNIMPLEMENTED (a query with a field callback's custom parts),
 *  OUT_OF_MEMORY, XAPIAN_ERROR, INTERNAL_ERROR. */
cx_status_t cx_query_serialise(const cx_query_t *query, char **bytes,
                               size_t *length, char **message) CX_NOEXCEPT;
/** Xapian's description of the query (malloc'd). */
cx_status_t cx_query_describe(const cx_query_t *query, char **description,
                              char **message) CX_NOEXCEPT;
/** The distinct terms of the query, in query order. */
cx_status_t cx_query_terms(const cx_query_t *query, cx_strings_t **terms,
                           char **message) CX_NOEXCEPT;
/** 1 if the query matches nothing by construction. */
int cx_query_is_empty(const cx_query_t *query) CX_NOEXCEPT;
/** Destroy a query. NULL is allowed. */
void cx_query_destroy(cx_query_t *query) CX_NOEXCEPT;

/* ---------------------------------------------------------------------- */
/* Query parser: Xapian::QueryParser                                       */

typedef struct cx_parser cx_parser_t;

/** Flags of cx_parser_parse(); they map to Xapian's QueryParser flags. */
enum {
    CX_PARSE_BOOLEAN = 1,        /* AND, OR, NOT, brackets */
    CX_PARSE_PHRASE = 2,         /* "quoted phrases" */
    CX_PARSE_LOVEHATE = 4,       /* +must -mustnot */
    CX_PARSE_BOOLEAN_ANY_CASE = 8,
    CX_PARSE_WILDCARD = 16,      /* foster* */
    CX_PARSE_PURE_NOT = 32,      /* NOT x alone */
    CX_PARSE_PARTIAL = 64,
    CX_PARSE_SPELLING = 128,     /* compute a corrected query string */
    CX_PARSE_SYNONYM = 256,      /* ~term */
    CX_PARSE_AUTO_SYNONYMS = 512,
    CX_PARSE_AUTO_MULTIWORD_SYNONYMS = 1024
};

/** A field callback turns the value of `field:value` into a query.
 *
 *  It returns a new query (ownership passes to the parser) or NULL after
 *  setting *error to a malloc'd message (the parser frees it), which makes
 *  cx_parser_parse() fail with QUERY_SYNTAX and that message. It must not
 *  unwind (throw) through the parser. */
typedef cx_query_t *(*cx_field_callback_t)(void *context, const char *value,
                                           size_t value_length, char **error);

/** Create a parser stemming with `language` (STEM_SOME, as the indexer),
 *  consulting `database` (may be NULL) for spelling, synonyms and
 *  wildcards; the database must outlive the parser. */
cx_status_t cx_parser_new(const char *language, cx_database_t *database,
                          cx_parser_t **parser, char **message) CX_NOEXCEPT;
/** Destroy a parser. NULL is allowed. */
void cx_parser_destroy(cx_parser_t *parser) CX_NOEXCEPT;

/** `field:` searches free text indexed with `prefix` ("" for the
 *  default field; may be called several times per field). */
cx_status_t cx_parser_add_prefix(cx_parser_t *parser, const char *field,
                                 const char *prefix, char **message) CX_NOEXCEPT;
/** `field:value` is a boolean filter turned into a query by `callback`;
 *  filters on the same field are ORed, on different fields ANDed.
 *  `context` is passed back unchanged and must outlive the parser. */
cx_status_t cx_parser_add_filter(cx_parser_t *parser, const char *field,
                                 cx_field_callback_t callback, void *context,
                                 char **message) CX_NOEXCEPT;
/** Ignore the `count` words of `words` (UTF-8, lower case) in free text
 *  outside phrases, as Xapian's SimpleStopper does ("the", "what"); the
 *  words are copied. Calling it again replaces the list.
 *  Returns: SUCCESS, INVALID_ARGUMENT, OUT_OF_MEMORY, INTERNAL_ERROR. */
cx_status_t cx_parser_set_stopwords(cx_parser_t *parser, const char *const *words,
                                    size_t count, char **message) CX_NOEXCEPT;
/** Limit wildcard expansion to the `limit` most frequent terms (0: none). */
cx_status_t cx_parser_set_max_wildcard_expansion(cx_parser_t *parser,
                                                 uint32_t limit,
                                                 char **message) CX_NOEXCEPT;

/** Parse `text` with `flags` (CX_PARSE_*). *query receives the query;
 *  *corrected (may be NULL) a malloc'd spelling-corrected query string,
 *  empty when nothing was corrected.
 *  Returns: SUCCESS, INVALID_ARGUMENT, QUERY_SYNTAX, WILDCARD, DATABASE_*,
 *  NETWORK, OUT_OF_MEMORY, XAPIAN_ERROR, INTERNAL_ERROR. */
cx_status_t cx_parser_parse(cx_parser_t *parser, const char *text,
                            size_t length, unsigned flags, cx_query_t **query,
                            char **corrected, char **message) CX_NOEXCEPT;

/* ---------------------------------------------------------------------- */
/* Searching: Xapian::Enquire, one coarse call per result page             */

typedef struct cx_mset cx_mset_t;

typedef enum cx_sort {
    /** BM25 relevance, best first. */
    CX_SORT_RELEVANCE = 0,
    /** By the value in sort_slot, then relevance. */
    CX_SORT_VALUE_ASCENDING,
    CX_SORT_VALUE_DESCENDING
} cx_sort_t;

#define CX_NO_SLOT 0xffffffffu

typedef struct cx_search_options {
    uint32_t offset;          /* first hit wanted (0-based) */
    uint32_t limit;           /* number of hits wanted */
    cx_sort_t sort;
    uint32_t sort_slot;       /* with the VALUE sorts */
    uint32_t collapse_slot;   /* CX_NO_SLOT: no collapsing */
    /* Value slots to count over the whole match set (facets); the counts
     * are exact when check_at_least is at least the database size. */
    const uint32_t *facet_slots;
    size_t facet_slot_count;
    uint32_t check_at_least;
    /* BM25 parameters; negative means Xapian's defaults. */
    double bm25_k1, bm25_b;
    /* The stemming language of the index ("english"), used by snippets to
     * recognise stemmed matches; NULL for none. */
    const char *language;
} cx_search_options_t;

/** Initialise options to: offset 0, limit 10, relevance, no slots, no
 *  facets, check_at_least 0, default BM25, no stemming language. */
void cx_search_options_init(cx_search_options_t *options) CX_NOEXCEPT;

/** Run `query` over `database`. *mset receives the page of results,
 *  destroyed with cx_mset_destroy(); it keeps what it needs alive.
 *
 *  Facet counts and collapse counts are exact over remote shards too:
 *  Xapian 1.4 counts remote hits twice in match spies when sorting by value
 *  (so the facets are then counted in a second, relevance-ordered pass),
 *  and loses the collapse counts of remote hits (so they are counted with
 *  a match spy on the collapse slot).
 *  Returns: SUCCESS, INVALID_ARGUMENT, DATABASE_MODIFIED (reopen and
 *  retry), DATABASE_*, NETWORK, OUT_OF_MEMORY, XAPIAN_ERROR,
 *  INTERNAL_ERROR. */
cx_status_t cx_database_search(cx_database_t *database, const cx_query_t *query,
                               const cx_search_options_t *options,
                               cx_mset_t **mset, char **message) CX_NOEXCEPT;

/** Destroy a result page. NULL is allowed. */
void cx_mset_destroy(cx_mset_t *mset) CX_NOEXCEPT;

/** Number of hits on the page. */
size_t cx_mset_size(const cx_mset_t *mset) CX_NOEXCEPT;
/** Estimated total number of matches, and bounds. Exact (lower == upper)
 *  when check_at_least covered the match set. */
void cx_mset_matches(const cx_mset_t *mset, uint32_t *estimated,
                     uint32_t *lower, uint32_t *upper) CX_NOEXCEPT;

/** Hit `index` (< size): its document id, weight, percentage and the
 *  number of other documents collapsed into it. Out-parameters may be NULL.
 *  Returns: SUCCESS, INVALID_ARGUMENT. */
cx_status_t cx_mset_hit(const cx_mset_t *mset, size_t index, cx_docid_t *docid,
                        double *weight, int *percent, uint32_t *collapsed,
                        char **message) CX_NOEXCEPT;

/** The data of hit `index`, as cx_document_get_data(). */
cx_status_t cx_mset_hit_data(cx_mset_t *mset, size_t index, char **data,
                             size_t *length, char **message) CX_NOEXCEPT;

/** The value in `slot` of hit `index`, as cx_document_get_value(). */
cx_status_t cx_mset_hit_value(cx_mset_t *mset, size_t index, uint32_t slot,
                              char **value, size_t *length, char **message) CX_NOEXCEPT;

/** A snippet of `text` around the query's matches, about `length` bytes,
 *  HTML-escaped, with matches between `highlight_start` and
 *  `highlight_end`, and `omit` where text was cut; empty when the text has
 *  no match and `empty_without_match` is 1. *snippet is malloc'd.
 *
 *  Passages with equal matches are told apart by Xapian's background model
 *  (how rare their other words are), except over remote shards, where it
 *  would look up each word's frequency in a round trip per remote shard:
 *  there the first best passage is taken. */
cx_status_t cx_mset_snippet(cx_mset_t *mset, const char *text,
                            size_t text_length, size_t length,
                            const char *highlight_start,
                            const char *highlight_end, const char *omit,
                            int empty_without_match, char **snippet,
                            char **message) CX_NOEXCEPT;

/** The facet counts of facet slot number `facet` (an index into the
 *  options' facet_slots): *values receives the distinct values with their
 *  counts (as frequencies), most frequent first. */
cx_status_t cx_mset_facet(const cx_mset_t *mset, size_t facet,
                          cx_strings_t **values, char **message) CX_NOEXCEPT;

/* ---------------------------------------------------------------------- */
/* Relevance feedback                                                      */

/** The `count` best terms to find documents like `docids` (Xapian's
 *  Enquire::get_eset over an RSet, with exact term frequencies over all
 *  shards so a combined handle ranks terms as one database would), best
 *  first, skipping terms that start with any of the `skip_prefix_count`
 *  prefixes in `skip_prefixes` (e.g. boolean filter prefixes). Each
 *  term's frequency in the list is its expand weight in thousandths.
 *  Returns: as cx_database_search(). */
cx_status_t cx_database_expand(cx_database_t *database,
                               const cx_docid_t *docids, size_t docid_count,
                               size_t count, const char *const *skip_prefixes,
                               size_t skip_prefix_count, cx_strings_t **terms,
                               char **message) CX_NOEXCEPT;

#ifdef __cplusplus
}
#endif

#endif /* COUNCIL_XAPIAN_H */
