/*
 * funnel.h — the C interface of Funnel, a lead-funnel engine.
 *
 * Link with -lfunnel (libfunnel.so.0). The library is self-contained: it needs
 * no Swift installation. Everything here follows ../shared/SPEC.md, whose JSON
 * documents (model, lead, score result, advance result) are the currency of the
 * JSON functions.
 *
 * Conventions, for every function below:
 *  - Text is UTF-8, passed as (pointer, length); it need not be NUL-terminated
 *    and may not contain invalid UTF-8 (FUNNEL_E_PARSE). Functions that take a
 *    plain `const char *` name (an attribute, a stage, a reason, a dictionary
 *    entry, an event type) read it up to its terminating NUL; invalid UTF-8 there
 *    is FUNNEL_E_PARSE too, and the message names the argument.
 *  - No function aborts the process on bad input. A NULL where a pointer is
 *    needed, a length that does not fit, or an index out of range is
 *    FUNNEL_E_ARGUMENT; malformed JSON or invalid UTF-8 is FUNNEL_E_PARSE; a
 *    document that breaks the contract is FUNNEL_E_INVALID. On any failure every
 *    out-pointer is left NULL (or untouched, for caller-owned arrays) and
 *    funnel_last_error() says what and where.
 *  - Each function lists the statuses it returns ("Returns:"); functions that
 *    return no status say what they give instead.
 *  - Ownership: strings returned through `char **out` are the caller's and are
 *    released with funnel_string_free(). `const char *` results are owned by the
 *    library (static) or by the model they came from (valid until it is freed).
 *  - Threads: a funnel_model is immutable once loaded and may be used from any
 *    number of threads at once. A funnel_batch may be scored from many threads
 *    at once, but filling it (funnel_batch_set_*) needs exclusive access.
 *    A funnel_winmodel is immutable once loaded and may be used from any number
 *    of threads at once, with the model it was loaded for.
 *    A funnel_router is for one thread at a time (see Routing below).
 *    at once, but filling it (funnel_batch_set_*) needs exclusive access; so
 *    may a funnel_accounts index, which funnel_accounts_add_* fills.
 *    funnel_last_error() is per thread.
 */
#ifndef FUNNEL_H
#define FUNNEL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define FUNNEL_API __attribute__((visibility("default")))
#else
#define FUNNEL_API
#endif

/* The version this header describes; funnel_version() gives the library's. */
#define FUNNEL_VERSION_MAJOR 0
#define FUNNEL_VERSION_MINOR 1
#define FUNNEL_VERSION_PATCH 0

/* A compiled model: opaque, immutable, safe to share between threads. */
typedef struct funnel_model funnel_model;

/* Leads stored in columns for one model, ready to be scored many times. */
typedef struct funnel_batch funnel_batch;

/* A history log (SPEC §12) being read for funnel reports. */
typedef struct funnel_report_builder funnel_report_builder;
/* A win model (SPEC §14) loaded for one model: opaque, immutable, safe to share
 * between threads. */
typedef struct funnel_winmodel funnel_winmodel;
/* The host's known accounts, indexed for conversion (SPEC §11). Filling it
 * (funnel_accounts_add_*) needs exclusive access; once filled it may be read by
 * any number of conversions on any threads at once. */
typedef struct funnel_accounts funnel_accounts;

/* Result codes. More codes may follow; treat unknown ones as failures. */
typedef enum funnel_status {
    FUNNEL_OK = 0,
    FUNNEL_E_ARGUMENT = 1, /* NULL pointer, bad length, index or value out of range */
    FUNNEL_E_PARSE = 2,    /* malformed JSON or invalid UTF-8 */
    FUNNEL_E_INVALID = 3,  /* a model or lead document that breaks the contract */
    FUNNEL_E_REFUSED = 4,  /* a manual stage move the model does not allow */
    FUNNEL_E_LIMIT = 5     /* an input larger than Funnel accepts */
} funnel_status;

/* The declared type of a model attribute. */
typedef enum funnel_attribute_type {
    FUNNEL_ATTR_STRING = 0,
    FUNNEL_ATTR_NUMBER = 1,
    FUNNEL_ATTR_BOOL = 2,
    FUNNEL_ATTR_STRINGS = 3,
    FUNNEL_ATTR_NONE = -1 /* no such attribute */
} funnel_attribute_type;

/* ------------------------------------------------------------------------ */
/* Library                                                                   */

/* "MAJOR.MINOR.PATCH" of the library. Static; never NULL.
 * Returns: no status; never fails. */
FUNNEL_API const char *funnel_version(void);

/* A short English name for a status ("ok", "invalid argument", ...). Static;
 * never NULL ("unknown status" for a code this library does not know).
 * Returns: no status; never fails. */
FUNNEL_API const char *funnel_status_str(funnel_status status);

/* The message of this thread's last failure, e.g.
 * "scoring.behavior[2].points: expected a number, found a string".
 * Owned by the library; valid until the next failing call on this thread.
 * "" when no call on this thread has failed. Never NULL. If the process had no
 * thread-specific key left for the library (pthread_key_create failed), it is
 * a static message saying so, and statuses are still returned as usual.
 * Returns: no status; never fails. */
FUNNEL_API const char *funnel_last_error(void);

/* Releases a string returned through a `char **out`. NULL: no-op.
 * Returns: no status. */
FUNNEL_API void funnel_string_free(char *s);

/* ------------------------------------------------------------------------ */
/* Models                                                                    */

/* Loads, validates completely and compiles a funnel.model/1 document.
 * On success *out is a new model (free it with funnel_model_free).
 * On failure *out is NULL and funnel_last_error() lists every fault, one per
 * line, each with its JSON path.
 * Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT (json or out NULL, len too large);
 * FUNNEL_E_PARSE (malformed JSON, invalid UTF-8, nesting beyond 512 levels);
 * FUNNEL_E_INVALID (a document that is not a valid model). */
FUNNEL_API funnel_status funnel_model_load(const char *json, size_t len, funnel_model **out);

/* Loads the embedded default model (the funnel of SPEC §1, as `funnel demo` uses).
 * Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT (out NULL). */
FUNNEL_API funnel_status funnel_model_load_default(funnel_model **out);

/* Releases a model. NULL: no-op. Batches made from it stay valid.
 * Returns: no status. */
FUNNEL_API void funnel_model_free(funnel_model *model);

/* Introspection. Counts are 0 and names NULL for a NULL model or an index out
 * of range; names are owned by the model.
 * Returns: no status (0, NULL or FUNNEL_ATTR_NONE instead of a failure). */
FUNNEL_API const char *funnel_model_name(const funnel_model *model); /* NULL when unnamed */
FUNNEL_API size_t funnel_model_attribute_count(const funnel_model *model);
FUNNEL_API const char *funnel_model_attribute_name(const funnel_model *model, size_t index);
FUNNEL_API funnel_attribute_type funnel_model_attribute_type(const funnel_model *model, size_t index);
FUNNEL_API size_t funnel_model_criterion_count(const funnel_model *model);
FUNNEL_API const char *funnel_model_criterion_name(const funnel_model *model, size_t index);
FUNNEL_API size_t funnel_model_stage_count(const funnel_model *model);
FUNNEL_API const char *funnel_model_stage_id(const funnel_model *model, size_t index);
FUNNEL_API size_t funnel_model_grade_count(const funnel_model *model);
FUNNEL_API const char *funnel_model_grade_name(const funnel_model *model, size_t index);
/* The model's engagement levels (SPEC §13 `scoring.engagement`), in order;
 * a lead's priority is its grade's name followed by its level's. */
FUNNEL_API size_t funnel_model_engagement_count(const funnel_model *model);
FUNNEL_API const char *funnel_model_engagement_name(const funnel_model *model, size_t index);

/* ------------------------------------------------------------------------ */
/* One lead, as JSON                                                         */

/* Scores one lead document (SPEC §6) at `as_of` (seconds since the epoch,
 * finite) and returns the score result (SPEC §7) in *out_json.
 * Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT (model, lead_json or out_json NULL, len
 * too large, as_of not finite); FUNNEL_E_PARSE (malformed JSON, invalid UTF-8);
 * FUNNEL_E_INVALID (a lead that breaks the contract or does not fit the model's
 * declarations); FUNNEL_E_LIMIT (no memory for the result). */
FUNNEL_API funnel_status funnel_score_json(const funnel_model *model, const char *lead_json, size_t len,
                                           double as_of, char **out_json);

/* Advances one lead (SPEC §5) and returns the advance result in *out_json.
 * FUNNEL_E_INVALID when the model has no stages or the lead's stage is unknown.
 * Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT (model, lead_json or out_json NULL, len
 * too large, as_of not finite); FUNNEL_E_PARSE (malformed JSON, invalid UTF-8);
 * FUNNEL_E_INVALID (a bad lead, an unknown stage, a model without stages);
 * FUNNEL_E_LIMIT (no memory for the result). */
FUNNEL_API funnel_status funnel_advance_json(const funnel_model *model, const char *lead_json, size_t len,
                                             double as_of, char **out_json);

/* Checks a manual move of one lead to stage `to` (NUL-terminated), naming
 * `reason` (NULL for none) and `by` (who moves it; NULL means "api").
 * On success *out_json is an advance result with the one move:
 *   {"id":"L-1","stage":"sql","moves":[{"from":"sal","to":"sql","reason":null,"by":"maria"}]}
 * When the model refuses the move, FUNNEL_E_REFUSED, *out_json NULL, and
 * funnel_last_error() says why: unknown stage, no transition from the lead's
 * stage, the stage's `requires` unmet (listing the unmet parts), or a reason
 * missing or not in the transition's list.
 * Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT (model, lead_json, to or out_json NULL,
 * len too large, as_of not finite); FUNNEL_E_PARSE (malformed JSON; invalid
 * UTF-8 in the lead, `to`, `reason` or `by`); FUNNEL_E_INVALID (a bad lead, a
 * model without stages); FUNNEL_E_REFUSED (the model does not allow the move);
 * FUNNEL_E_LIMIT (no memory for the result). */
FUNNEL_API funnel_status funnel_move_json(const funnel_model *model, const char *lead_json, size_t len,
                                          const char *to, const char *reason, const char *by, double as_of,
                                          char **out_json);

/* ------------------------------------------------------------------------ */
/* Many leads, as JSON Lines                                                 */

/* Scores every lead of a JSON Lines text (one lead document a line; blank lines
 * skipped) on every core, and returns one score result a line, in input order,
 * each ending in '\n'. A bad line fails the whole call (nothing is returned)
 * with a message naming the line number and the field. The same as
 * funnel_score_jsonl_opts with threads 0.
 * Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT (model, jsonl or out_jsonl NULL, len too
 * large, as_of not finite); FUNNEL_E_PARSE (a line of malformed JSON or invalid
 * UTF-8); FUNNEL_E_INVALID (a line that breaks the contract, does not fit the
 * model, or goes past a batch's limits); FUNNEL_E_LIMIT (no memory for the result). */
FUNNEL_API funnel_status funnel_score_jsonl(const funnel_model *model, const char *jsonl, size_t len,
                                            double as_of, char **out_jsonl);

/* As funnel_score_jsonl, with one advance result a line.
 * Returns: as funnel_score_jsonl, and FUNNEL_E_INVALID for a model without stages. */
FUNNEL_API funnel_status funnel_advance_jsonl(const funnel_model *model, const char *jsonl, size_t len,
                                              double as_of, char **out_jsonl);

/* Options for the JSON Lines functions. Versioned: set `version` to
 * FUNNEL_JSONL_OPTIONS_VERSION (initialise with FUNNEL_JSONL_OPTIONS_INIT), so
 * that a program built with this header keeps working with later libraries,
 * which may add fields after these.
 *
 *   funnel_jsonl_options options = FUNNEL_JSONL_OPTIONS_INIT;
 *   options.threads = 1;                    everything on the calling thread
 *   funnel_score_jsonl_opts(model, text, len, as_of, &options, &out);
 */
typedef struct funnel_jsonl_options {
    unsigned int version; /* FUNNEL_JSONL_OPTIONS_VERSION */
    /* The most threads the call parses and scores on, the calling thread
     * included: 1 keeps everything on the calling thread; 0 (the default) uses
     * every core. Extra threads come from the system's shared worker pool. */
    unsigned int threads;
} funnel_jsonl_options;

#define FUNNEL_JSONL_OPTIONS_VERSION 1
#define FUNNEL_JSONL_OPTIONS_INIT {FUNNEL_JSONL_OPTIONS_VERSION, 0}

/* As funnel_score_jsonl, as `options` says (NULL: the defaults, as
 * FUNNEL_JSONL_OPTIONS_INIT). The output does not depend on the thread count.
 * Returns: as funnel_score_jsonl, and FUNNEL_E_ARGUMENT for an options->version
 * this library does not know. */
FUNNEL_API funnel_status funnel_score_jsonl_opts(const funnel_model *model, const char *jsonl, size_t len,
                                                 double as_of, const funnel_jsonl_options *options,
                                                 char **out_jsonl);

/* As funnel_advance_jsonl, as `options` says (NULL: the defaults).
 * Returns: as funnel_advance_jsonl, and FUNNEL_E_ARGUMENT for an
 * options->version this library does not know. */
FUNNEL_API funnel_status funnel_advance_jsonl_opts(const funnel_model *model, const char *jsonl, size_t len,
                                                   double as_of, const funnel_jsonl_options *options,
                                                   char **out_jsonl);

/* ------------------------------------------------------------------------ */
/* Many leads, as columns: the fast path                                     */
/*
 * A host that keeps its leads in columns fills a batch once (one call per
 * attribute column and one for all events) and scores it, at as many instants
 * as it likes, straight into its own arrays. Leads are numbered 0..lead_count-1.
 * Attributes not set are missing for every lead.
 *
 *   funnel_batch *b;
 *   funnel_batch_new(model, n, &b);
 *   funnel_batch_set_numbers(b, "employees", employees, n);        NaN = missing
 *   funnel_batch_set_strings(b, "industry", dict, dict_len, ids, n); id -1 = missing
 *   funnel_batch_set_events(b, types, n_types, lead, type, at, n_events, "minutes", minutes);
 *   funnel_batch_score(b, as_of, fit, behavior, total, grade, n);
 *   funnel_batch_free(b);
 */

/* A new empty batch of `lead_count` leads for `model` (at most 2^31 - 1).
 * Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT (model or out NULL); FUNNEL_E_LIMIT
 * (lead_count above 2^31 - 1, or no memory for it). */
FUNNEL_API funnel_status funnel_batch_new(const funnel_model *model, size_t lead_count, funnel_batch **out);

/* Releases a batch. NULL: no-op. Column blocks of 256 KiB or more are kept
 * for the next batch's columns (at most 256 MiB in all, the oldest freed past
 * that; their pages marked MADV_FREE, so the kernel may take them back), so
 * that a host scoring batch after batch writes into pages it already has.
 * The keeping is fork-safe: its lock is held across fork() (pthread_atfork),
 * so a child forked while another thread frees or fills a batch can use it.
 * Returns: no status. */
FUNNEL_API void funnel_batch_free(funnel_batch *batch);

/* The number of leads of a batch (0 for NULL).
 * Returns: no status. */
FUNNEL_API size_t funnel_batch_lead_count(const funnel_batch *batch);

/* Sets a `number` attribute for every lead: values[i] for lead i, NaN missing.
 * `count` must equal the batch's lead count; ±infinity is FUNNEL_E_ARGUMENT.
 * Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT (batch, attribute or values NULL, an
 * attribute not declared `number`, count not the lead count, ±infinity);
 * FUNNEL_E_PARSE (attribute not valid UTF-8). */
FUNNEL_API funnel_status funnel_batch_set_numbers(funnel_batch *batch, const char *attribute,
                                                  const double *values, size_t count);

/* Sets a `bool` attribute: 0 false, 1 true, -1 missing; anything else is
 * FUNNEL_E_ARGUMENT.
 * Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT (batch, attribute or values NULL, an
 * attribute not declared `bool`, count not the lead count, a value not -1, 0
 * or 1); FUNNEL_E_PARSE (attribute not valid UTF-8). */
FUNNEL_API funnel_status funnel_batch_set_bools(funnel_batch *batch, const char *attribute,
                                                const int8_t *values, size_t count);

/* Sets a `string` attribute from a dictionary: lead i's value is
 * dictionary[ids[i]], or missing when ids[i] is -1. Any other id outside
 * 0..dictionary_count-1, or a NULL dictionary entry, is FUNNEL_E_ARGUMENT; an
 * invalid-UTF-8 entry is FUNNEL_E_PARSE. The dictionary is read during the
 * call only. Setting a column again replaces it: strings only the old column
 * used are dropped, so a batch refilled again and again does not grow.
 * Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT (batch, attribute, dictionary or ids
 * NULL, a NULL entry, an attribute not declared `string`, count not the lead
 * count, an id out of range); FUNNEL_E_PARSE (attribute or an entry not valid
 * UTF-8); FUNNEL_E_LIMIT (more distinct strings than a batch numbers, 2^31 - 1). */
FUNNEL_API funnel_status funnel_batch_set_strings(funnel_batch *batch, const char *attribute,
                                                  const char *const *dictionary, size_t dictionary_count,
                                                  const int32_t *ids, size_t count);

/* Sets a `strings` (set of strings) attribute: lead i's members are
 * dictionary[member_ids[k]] for k in offsets[i]..offsets[i+1]-1; `offsets` has
 * count+1 entries, starting at 0, never decreasing, ending at member_count.
 * `present` (may be NULL: every lead has the attribute) marks missing leads
 * with 0. Setting a column again replaces it, its old members dropped.
 * Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT (batch, attribute, dictionary, offsets
 * or a non-empty member_ids NULL, a NULL entry, an attribute not declared
 * `strings`, count not the lead count, offsets not as above, a member id out of
 * range); FUNNEL_E_PARSE (attribute or an entry not valid UTF-8);
 * FUNNEL_E_LIMIT (more members or distinct strings than a batch holds, 2^31 - 1,
 * or no memory for them). */
FUNNEL_API funnel_status funnel_batch_set_string_sets(funnel_batch *batch, const char *attribute,
                                                      const char *const *dictionary, size_t dictionary_count,
                                                      const int64_t *offsets, const int32_t *member_ids,
                                                      size_t member_count, const uint8_t *present, size_t count);

/* funnel_batch_set_strings with the values as one text instead of a
 * dictionary and ids: text[0..text_length) holds, in lead order, the value of
 * every lead whose present[i] is not 0 (every lead when `present` is NULL),
 * each followed by a NUL byte; the others are missing. Equal values are
 * numbered here, in C, so that a host whose strings are its interpreter's
 * objects (Python: "\0".join(values)) need not build a dictionary itself.
 * Returns: as funnel_batch_set_strings, and FUNNEL_E_ARGUMENT when the text
 * does not hold exactly as many NUL-terminated values as leads present;
 * FUNNEL_E_PARSE (a value not valid UTF-8). */
FUNNEL_API funnel_status funnel_batch_set_strings_text(funnel_batch *batch, const char *attribute,
                                                       const char *text, size_t text_length,
                                                       const uint8_t *present, size_t count);

/* Sets every lead's events at once, replacing any set before. Event k belongs
 * to lead event_lead[k] (any order), has type event_types[event_type[k]] and
 * time event_at[k] (seconds since the epoch, finite). When `property` is not
 * NULL, property_values[k] is the event's numeric property of that name (NaN:
 * the event lacks it); events have no other properties.
 * Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT (batch NULL, a non-empty array NULL,
 * a NULL type, property_values NULL with a property, a lead or type id out of
 * range, a time not finite, a value ±infinity);
 * FUNNEL_E_PARSE (an event type or the property not valid UTF-8);
 * FUNNEL_E_LIMIT (no memory for the events). */
FUNNEL_API funnel_status funnel_batch_set_events(funnel_batch *batch, const char *const *event_types,
                                                 size_t event_type_count, const uint32_t *event_lead,
                                                 const int32_t *event_type, const double *event_at,
                                                 size_t event_count, const char *property,
                                                 const double *property_values);

/* funnel_batch_set_events with the event types as one text: event k's type
 * is the k-th of the event_count NUL-terminated values in
 * type_text[0..type_text_length) (Python: "\0".join(types) + "\0").
 * Returns: as funnel_batch_set_events, and FUNNEL_E_ARGUMENT when the text does
 * not hold exactly event_count NUL-terminated values; FUNNEL_E_PARSE (a type
 * not valid UTF-8). */
FUNNEL_API funnel_status funnel_batch_set_events_text(funnel_batch *batch, const char *type_text,
                                                      size_t type_text_length, const uint32_t *event_lead,
                                                      const double *event_at, size_t event_count,
                                                      const char *property, const double *property_values);

/* Scores every lead at `as_of` on every core, writing lead i's results to
 * fit[i], behavior[i], total[i] and grade[i]. `count` must equal the batch's
 * lead count. Any of the four arrays may be NULL when not wanted. grade[i] is
 * the index of the lead's grade (see funnel_model_grade_name), or -1 for none.
 * Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT (batch NULL, count not the lead count,
 * as_of not finite). */
FUNNEL_API funnel_status funnel_batch_score(const funnel_batch *batch, double as_of, double *fit,
                                            double *behavior, double *total, int32_t *grade, size_t count);

/* As funnel_batch_score on at most `threads` threads (0: every core).
 * Returns: as funnel_batch_score. */
FUNNEL_API funnel_status funnel_batch_score_threads(const funnel_batch *batch, double as_of, double *fit,
                                                    double *behavior, double *total, int32_t *grade,
                                                    size_t count, unsigned threads);

/* As funnel_batch_score_threads, and also writes engagement[i]: the index of
 * lead i's engagement level (SPEC §13; see funnel_model_engagement_name), or
 * -1 for none (always for a model without levels). Its priority is the grade
 * and level names joined, when both indices are >= 0. Any array may be NULL.
 * Returns: as funnel_batch_score. */
FUNNEL_API funnel_status funnel_batch_score_levels(const funnel_batch *batch, double as_of, double *fit,
                                                   double *behavior, double *total, int32_t *grade,
                                                   int32_t *engagement, size_t count, unsigned threads);

/* One shot: scores every lead at `as_of` with the given events in place of
 * the batch's own, without keeping them (the batch is unchanged). The results
 * are exactly those of funnel_batch_set_events with the same arrays followed
 * by funnel_batch_score_levels, for less work when the batch is scored once:
 * a host that fills the attributes, scores once and frees the batch skips
 * writing every event into it, and the events are read on every thread
 * (funnel_batch_set_events is one thread). Events grouped by lead (event_lead
 * never decreasing, as an export ordered by lead gives them) take the fast
 * path; any order is taken. The event arguments are read as
 * funnel_batch_set_events reads them; the outputs as in
 * funnel_batch_score_levels (any may be NULL), on at most `threads` threads
 * (0: every core). Safe to call on one batch from many threads at once.
 * Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT (as funnel_batch_set_events, and
 * count not the lead count, as_of not finite); FUNNEL_E_PARSE (an event type
 * or the property not valid UTF-8); FUNNEL_E_LIMIT (no memory). On an error
 * the outputs may have been partly written. */
FUNNEL_API funnel_status funnel_batch_score_events(const funnel_batch *batch, const char *const *event_types,
                                                   size_t event_type_count, const uint32_t *event_lead,
                                                   const int32_t *event_type, const double *event_at,
                                                   size_t event_count, const char *property,
                                                   const double *property_values, double as_of, double *fit,
                                                   double *behavior, double *total, int32_t *grade,
                                                   int32_t *engagement, size_t count, unsigned threads);

/* A new batch holding the leads of a JSON Lines text, one lead a line (blank
 * lines skipped), numbered in input order: what funnel_score_jsonl_opts reads
 * and scores, for a host that wants the scores in its own arrays
 * (funnel_batch_score_levels) rather than one JSON result a lead to decode.
 * Scored at the same instant, lead i's fit, behavior, total and grade equal
 * those of line i's score result. `options` as funnel_score_jsonl_opts (NULL:
 * the defaults; its threads read the lines). The caller owns the batch: free
 * it with funnel_batch_free; `jsonl` is read during the call only.
 * Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT (model, jsonl or out NULL, len too
 * large, an options->version this library does not know); FUNNEL_E_PARSE and
 * FUNNEL_E_INVALID as funnel_score_jsonl, naming the line and the field. */
FUNNEL_API funnel_status funnel_batch_new_jsonl(const funnel_model *model, const char *jsonl, size_t len,
                                                const funnel_jsonl_options *options, funnel_batch **out);

/* The values of a Python list of numbers pickled with protocol 2
 * (pickle.dumps(values, 2)) as doubles: float as it is, int of at most 64 bits
 * and bool as their value, None as NaN. For a host that holds its columns as
 * Python lists: pickling one runs in C whatever the mix of floats and Nones.
 * `out` gets exactly `count` values (it may be NULL when count is 0). `kinds`
 * (may be NULL) gets the FUNNEL_PICKLED_* bits of the kinds of item found (0
 * on failure), so that a host can tell, say, a bool from an int. Reads
 * `pickle` and writes `out` during the call only; safe from any thread.
 * Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT (pickle NULL, out NULL with a count,
 * anything but such a list, or a list of another length: the host converts it
 * another way). */
#define FUNNEL_PICKLED_FLOAT 1u
#define FUNNEL_PICKLED_INT 2u
#define FUNNEL_PICKLED_BOOL 4u
#define FUNNEL_PICKLED_NONE 8u
#define FUNNEL_PICKLED_NONFINITE 16u /* a float NaN or ±infinity (with FUNNEL_PICKLED_FLOAT) */
FUNNEL_API funnel_status funnel_doubles_from_pickle(const char *pickle, size_t len, double *out, size_t count,
                                                    unsigned *kinds);

/* Where a host's number objects keep their type and value (for a Python host:
 * CPython's float and int, found on probe objects). Version 1. */
#define FUNNEL_OBJECT_LAYOUT_VERSION 1u
typedef struct funnel_object_layout {
    unsigned version;          /* FUNNEL_OBJECT_LAYOUT_VERSION */
    unsigned int_form;         /* 0: ints are not read; 1: a signed digit count at int_size_offset
                                  (negative: a negative int); 2: a tag there, the digit count
                                  shifted left by 3, the sign in the low bits (0 +, 1 zero, 2 -) */
    uintptr_t none;            /* the missing-value object (None): NaN */
    uintptr_t float_type;      /* the type pointer of a float, whose double is at float_offset */
    uintptr_t int_type;        /* the type pointer of an int, its 30-bit digits (uint32 each, least
                                  significant first) at int_digits_offset */
    size_t type_offset;        /* of every object's type pointer */
    size_t float_offset;
    size_t int_size_offset;
    size_t int_digits_offset;
} funnel_object_layout;

/* The values of an array of pointers to a host's number objects, read in place
 * as `layout` says: for a Python host, the items of a tuple of floats and ints.
 * `none` is NaN, a float its double, an int of at most two digits (60 bits) its
 * value (rounded to the nearest double, as Python's float(int)); anything else
 * stops the reading before its value is read (FUNNEL_E_ARGUMENT: the host
 * converts the list another way). The objects must stay alive and readable
 * during the call. `kinds` (may be NULL) gets the FUNNEL_PICKLED_* bits of what
 * was found (FLOAT, INT, NONE, NONFINITE; 0 on failure).
 * Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT (as said; objects or out NULL with a
 * count; layout NULL or of another version). */
FUNNEL_API funnel_status funnel_doubles_from_objects(const uintptr_t *objects, size_t count,
                                                     const funnel_object_layout *layout, double *out,
                                                     unsigned *kinds);

/* The values of an array of pointers to a host's int objects, each from 0 to
 * 2**32 - 1, read in place as `layout` says (int_form 1 or 2): for a Python host,
 * a tuple of event lead indices. The objects must stay alive and readable during
 * the call.
 * Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT (an object that is not such an int, read no
 * further: the host converts the list another way; objects or out NULL with a
 * count; layout NULL, of another version or without ints). */
FUNNEL_API funnel_status funnel_uint32_from_objects(const uintptr_t *objects, size_t count,
                                                    const funnel_object_layout *layout, uint32_t *out);

/* The distinct values of an array of pointers, numbered in order of first
 * appearance: codes[i] gets the number of values[i] and firsts[k] the index of
 * value k's first appearance; *distinct (may be NULL) gets how many there are.
 * For a Python host, whose column of strings is an array of object pointers (a
 * numpy object array's data, a list's items) in which the same few string
 * objects recur: numbering the pointers costs a few nanoseconds a value. Values
 * equal to `missing` (Python's None) get code -1 and no number. Only the pointer
 * values are compared, never what they point to. `firsts` has room
 * for `capacity` entries. Reads `values` and writes `codes` and `firsts` during
 * the call only; safe from any thread.
 * Returns: FUNNEL_OK; FUNNEL_E_LIMIT when there are more than `capacity`
 * distinct values (*distinct is then capacity + 1, and codes and firsts are
 * partly written: the host numbers the values another way); FUNNEL_E_ARGUMENT
 * (values, codes or firsts NULL with a count, capacity of 2**31 - 1 or more). */
FUNNEL_API funnel_status funnel_pointer_codes(const uintptr_t *values, size_t count, int32_t *codes,
                                              uintptr_t missing, size_t *firsts, size_t capacity, size_t *distinct);

/* Where a host's list object keeps its items (for a Python host: CPython's
 * list, found on probe lists). Version 1. */
#define FUNNEL_LIST_LAYOUT_VERSION 1u
typedef struct funnel_list_layout {
    unsigned version;          /* FUNNEL_LIST_LAYOUT_VERSION */
    uintptr_t list_type;       /* the type pointer of a list (exact type only) */
    size_t type_offset;        /* of the object's type pointer */
    size_t size_offset;        /* a list's item count */
    size_t items_offset;       /* the pointer to its item pointers */
} funnel_list_layout;

/* funnel_doubles_from_objects, funnel_uint32_from_objects and funnel_pointer_codes
 * on the item pointers of `list`, a host's list object read in place as
 * `list_layout` says: for a Python host, a list of numbers, lead indices or
 * strings without copying it into a tuple. The host holds its interpreter lock
 * during the call (ctypes.PyDLL), so that the list cannot change meanwhile.
 * Returns what those functions return, and FUNNEL_E_ARGUMENT when `list` is NULL
 * or not of list_type, holds other than `count` items (which out, codes and
 * firsts have room for), or list_layout is NULL or of another version; the host
 * then converts the list another way. */
FUNNEL_API funnel_status funnel_doubles_from_list(const void *list, size_t count,
                                                  const funnel_list_layout *list_layout,
                                                  const funnel_object_layout *layout, double *out, unsigned *kinds);
FUNNEL_API funnel_status funnel_uint32_from_list(const void *list, size_t count,
                                                 const funnel_list_layout *list_layout,
                                                 const funnel_object_layout *layout, uint32_t *out);
FUNNEL_API funnel_status funnel_pointer_codes_list(const void *list, size_t count,
                                                   const funnel_list_layout *list_layout, int32_t *codes,
                                                   uintptr_t missing, size_t *firsts, size_t capacity,
                                                   size_t *distinct);

/* Where a host's document objects keep their parts (for a Python host: CPython
 * 3.10 to 3.13's None, True, False, float, int, str, list and dict, found and
 * checked on probe objects). Version 1. */
#define FUNNEL_DOCUMENT_LAYOUT_VERSION 1u
typedef struct funnel_document_layout {
    unsigned version;          /* FUNNEL_DOCUMENT_LAYOUT_VERSION */
    unsigned int_form;         /* 1 or 2, as funnel_object_layout's */
    unsigned dict_form;        /* 1: CPython 3.10's dict keys object; 2: 3.11 to 3.13's */
    unsigned str_form;         /* 1: PEP 393 str, the state bits of CPython 3.10 to 3.13 */
    uintptr_t none, true_object, false_object;
    uintptr_t float_type, int_type, str_type, list_type, dict_type; /* exact types only */
    size_t type_offset;        /* of every object's type pointer */
    size_t float_offset;       /* a float's double */
    size_t int_size_offset;    /* an int's size or tag (int_form) */
    size_t int_digits_offset;  /* its 30-bit digits */
    size_t list_size_offset;   /* a list's item count */
    size_t list_items_offset;  /* the pointer to its item pointers */
    size_t dict_used_offset;   /* a dict's item count */
    size_t dict_keys_offset;   /* the pointer to its keys object */
    size_t dict_values_offset; /* the pointer to a split table's values (the dict is read only when NULL) */
    size_t str_length_offset;  /* a str's length in code points */
    size_t str_state_offset;   /* its state bits */
    size_t str_ascii_data_offset; /* the characters of a compact ASCII str */
    size_t str_data_offset;    /* those of another compact str (1, 2 or 4 bytes each) */
} funnel_document_layout;

/* JSON Lines text of an array of pointers to a host's lead documents (for a
 * Python host: the items of a tuple of dicts), read in place as `layout` says:
 * one line a document, the text json.dumps would give up to the form of its
 * numbers (the same values: a float's shortest round-trip text, an int's
 * digits). Anything else (another type or a subclass, an int over 60 bits, a
 * non-finite float, a str that is not compact or holds a surrogate, a key that
 * is not a str, a split dict, nesting deeper than 64) stops the writing, and
 * the host writes the text its own way. The objects must stay alive and
 * unchanged during the call (a Python host holds the GIL through it). `*out`
 * gets the malloc'ed text (NUL-terminated; funnel_string_free) and
 * `*out_length` its length in bytes.
 * Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT (as said; objects NULL with a count,
 * out or out_length NULL, layout NULL, of another version or with a form this
 * library does not read); FUNNEL_E_LIMIT (out of memory). */
FUNNEL_API funnel_status funnel_jsonl_from_objects(const uintptr_t *objects, size_t count,
                                                   const funnel_document_layout *layout, char **out,
                                                   size_t *out_length);

/* The results of funnel_score_jsonl_opts as one Python pickle (protocol 4) of
 * the list [json.loads(line) for line in result_lines]: dicts, lists, str, int
 * for an integer literal, float (the same double) for another number, True,
 * False and None; equal keys and short strings load as one shared str. For a
 * Python host, pickle.loads builds the results several times faster than
 * json.loads parses their text. `*out` gets the malloc'ed pickle (funnel_string_free)
 * and `*out_length` its length in bytes.
 * Returns: as funnel_score_jsonl_opts (the same errors and messages); out_length
 * NULL is FUNNEL_E_ARGUMENT; FUNNEL_E_LIMIT when a result holds what the pickle
 * is not written for (a lone surrogate, an integer beyond 64 bits): the host
 * then takes funnel_score_jsonl_opts. */
FUNNEL_API funnel_status funnel_score_jsonl_pickle(const funnel_model *model, const char *jsonl, size_t len,
                                                   double as_of, const funnel_jsonl_options *options, char **out,
                                                   size_t *out_length);

/* As funnel_score_jsonl_pickle, each result an instance of the Python class
 * `module`.`name` instead of a dict: a dict subclass whose __new__ takes no
 * arguments (each result is made with NEWOBJ and filled with SETITEMS, as
 * pickle.dumps writes such an instance), so that a host whose results are that
 * subclass loads them as they are, with no copy; the nested dicts stay dicts.
 * `module` and `name` are 1 to 255 ASCII letters, digits, '_' and '.'
 * (NUL-terminated); pickle.loads looks the class up as find_class does.
 * Returns: as funnel_score_jsonl_pickle, and FUNNEL_E_ARGUMENT for a NULL or
 * ill-formed module or name. */
FUNNEL_API funnel_status funnel_score_jsonl_pickle_class(const funnel_model *model, const char *jsonl, size_t len,
                                                         double as_of, const funnel_jsonl_options *options,
                                                         const char *module, const char *name, char **out,
                                                         size_t *out_length);

/* ------------------------------------------------------------------------ */
/* Many leads, as Arrow tables (the Arrow C Data Interface)                  */
/*
 * The Arrow C Data Interface is three plain structs, defined here exactly as
 * https://arrow.apache.org/docs/format/CDataInterface.html gives them (under
 * its guard, so a program that includes Arrow's own header first keeps that).
 * No Arrow library is needed on either side.
 *
 * `leads` is a record batch (a struct array, format "+s") with one row per lead:
 * an "id" column (utf8, large utf8, string view or a dictionary of them, or
 * integers, written in decimal; never null or empty) and one column per model
 * attribute, named as the attribute:
 *   number   int8..int64, uint8..uint64, float32, float64   (NaN: missing)
 *   bool     bool
 *   string   utf8, large utf8, string view, dictionary<any integer, those>
 *   strings  list or large list of the string types (a null member is an error)
 * A null (validity bitmap) is a missing value, as JSON null is; a column of
 * Arrow type null is missing everywhere.
 *
 * `events` (optional) is a record batch with one row per event: "lead" (the id
 * of its lead, a string or integer column as "id" is), "type" (a string
 * column), "at" (float64 or integer seconds since the epoch, timestamp[s|ms|us|ns]
 * with or without a zone, or date32) and one column per event property a rule
 * reads (`prop`), typed as attributes are; a property's kind is its column's.
 * An event whose lead id no row of `leads` has is FUNNEL_E_INVALID, naming it;
 * so are repeated lead ids when events are given (they could not be told apart).
 *
 * Columns the model does not know (an attribute it does not declare, a property
 * no rule reads) are FUNNEL_E_ARGUMENT, naming the column, so that a misspelt
 * column never scores silently as missing; FUNNEL_ARROW_IGNORE_UNKNOWN skips them.
 *
 * Nothing is copied on the way in: number, bool, string and dictionary buffers
 * are read in place while the batch is filled. Every struct is checked before it
 * is read (formats, lengths, offsets, buffer and child counts, NULL buffers,
 * dictionary indices, list and string-view offsets against their children and
 * buffers); what the interface does not say (the byte size of a utf8 data
 * buffer) cannot be checked, and is trusted up to the string's last offset.
 *
 * The result has one row per lead, in order: id (utf8, or large utf8 beyond
 * 2 GiB of ids), fit, behavior, total (float64: the numbers funnel_score_jsonl
 * gives, to the last bit) and grade (utf8, null when no grade holds).
 *
 *   funnel_arrow_result *r;
 *   funnel_score_arrow(model, &leads_schema, &leads, &events_schema, &events, as_of, NULL, &r);
 *   struct ArrowSchema schema; struct ArrowArray scores;
 *   funnel_arrow_result_export(r, &schema, &scores);     as often as needed
 *   funnel_arrow_result_free(r);                          exports stay valid
 *   ... use scores ...; scores.release(&scores); schema.release(&schema);
 */

#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
    /* Array type description */
    const char *format;
    const char *name;
    const char *metadata;
    int64_t flags;
    int64_t n_children;
    struct ArrowSchema **children;
    struct ArrowSchema *dictionary;

    /* Release callback */
    void (*release)(struct ArrowSchema *);
    /* Opaque producer-specific data */
    void *private_data;
};

struct ArrowArray {
    /* Array data description */
    int64_t length;
    int64_t null_count;
    int64_t offset;
    int64_t n_buffers;
    int64_t n_children;
    const void **buffers;
    struct ArrowArray **children;
    struct ArrowArray *dictionary;

    /* Release callback */
    void (*release)(struct ArrowArray *);
    /* Opaque producer-specific data */
    void *private_data;
};

#endif /* ARROW_C_DATA_INTERFACE */

#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE

struct ArrowArrayStream {
    /* Callbacks providing stream functionality */
    int (*get_schema)(struct ArrowArrayStream *, struct ArrowSchema *out);
    int (*get_next)(struct ArrowArrayStream *, struct ArrowArray *out);
    const char *(*get_last_error)(struct ArrowArrayStream *);

    /* Release callback */
    void (*release)(struct ArrowArrayStream *);

    /* Opaque producer-specific data */
    void *private_data;
};

#endif /* ARROW_C_STREAM_INTERFACE */

/* The scores of one Arrow call: opaque; export it as often as needed. */
typedef struct funnel_arrow_result funnel_arrow_result;

/* Options for the Arrow functions. Versioned as funnel_jsonl_options is:
 * initialise with FUNNEL_ARROW_OPTIONS_INIT. */
typedef struct funnel_arrow_options {
    unsigned int version; /* FUNNEL_ARROW_OPTIONS_VERSION */
    unsigned int threads; /* the most threads scoring uses; 0 (the default): every core */
    unsigned int flags;   /* FUNNEL_ARROW_* bits; 0 by default */
} funnel_arrow_options;

#define FUNNEL_ARROW_OPTIONS_VERSION 1
#define FUNNEL_ARROW_OPTIONS_INIT {FUNNEL_ARROW_OPTIONS_VERSION, 0, 0}
/* Skip columns the model does not know instead of failing on them. */
#define FUNNEL_ARROW_IGNORE_UNKNOWN 1u

/* Scores the leads of one record batch (leads_schema + leads) with the events
 * of another (events_schema + events; both NULL for none) at `as_of`, as
 * `options` says (NULL: the defaults). The structs stay the caller's: they are
 * only read, during the call, and never released here.
 * On success *out is a new result (free it with funnel_arrow_result_free).
 * Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT (model, leads_schema, leads or out NULL,
 * one of the events pair NULL, as_of not finite, a bad options->version or flag,
 * a struct that breaks the C Data Interface, an unsupported format, a missing
 * "id", "lead", "type" or "at" column, an unknown column); FUNNEL_E_PARSE (a
 * string, id or column name that is not UTF-8); FUNNEL_E_INVALID (a column whose
 * type does not fit its attribute, a null or empty id, a null event lead, type
 * or time, a time or number that is not finite, an unknown or repeated lead id);
 * FUNNEL_E_LIMIT (more than 2^31 - 1 leads, more distinct strings than a batch
 * numbers, no memory). funnel_last_error() names the table, column and row. */
FUNNEL_API funnel_status funnel_score_arrow(const funnel_model *model, const struct ArrowSchema *leads_schema,
                                            const struct ArrowArray *leads, const struct ArrowSchema *events_schema,
                                            const struct ArrowArray *events, double as_of,
                                            const funnel_arrow_options *options, funnel_arrow_result **out);

/* As funnel_score_arrow, with each table given as a stream of record batches
 * (`events` NULL for none). Each stream is read to its end (get_schema, then
 * get_next until the end); the arrays it gives are released before the call
 * returns, the streams themselves are not: they stay the caller's.
 * Returns: as funnel_score_arrow, and FUNNEL_E_ARGUMENT for a stream callback
 * that fails (its get_last_error message is quoted). */
FUNNEL_API funnel_status funnel_score_arrow_stream(const funnel_model *model, struct ArrowArrayStream *leads,
                                                   struct ArrowArrayStream *events, double as_of,
                                                   const funnel_arrow_options *options, funnel_arrow_result **out);

/* The number of leads (rows) of a result; 0 for NULL.
 * Returns: no status. */
FUNNEL_API size_t funnel_arrow_result_count(const funnel_arrow_result *result);

/* Exports the scores as a struct array (format "+s": id, fit, behavior, total,
 * grade) into *out_schema and *out_array (either may be NULL to skip it). Each
 * export is new and independent: the caller owns it and calls its release
 * callback (children are released with their parent; a child moved out is
 * released by whoever moved it). An export keeps the scores alive: the result
 * may be freed before it. A result may be exported from many threads at once.
 * Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT (result NULL, both outs NULL);
 * FUNNEL_E_LIMIT (no memory). */
FUNNEL_API funnel_status funnel_arrow_result_export(const funnel_arrow_result *result,
                                                    struct ArrowSchema *out_schema, struct ArrowArray *out_array);

/* Exports the scores as a stream of record batches into *out_stream, for
 * readers that take streams (DuckDB, pyarrow.RecordBatchReader): get_schema
 * gives the schema of funnel_arrow_result_export, get_next its array once (one
 * batch of every row), then the end (a released array). The stream is the
 * caller's: release it with its release callback. It keeps the scores alive
 * (the result may be freed before it) and is independent of other exports; as
 * the Arrow interface says, one stream is read by one thread at a time.
 * Callbacks return 0, EINVAL or ENOMEM (get_last_error says why).
 * Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT (result or out_stream NULL). */
FUNNEL_API funnel_status funnel_arrow_result_export_stream(const funnel_arrow_result *result,
                                                           struct ArrowArrayStream *out_stream);

/* Releases a result. NULL: no-op. Exports made from it stay valid.
 * Returns: no status. */
FUNNEL_API void funnel_arrow_result_free(funnel_arrow_result *result);

/* ------------------------------------------------------------------------ */
/* Measurement: the history log and the funnel report (SPEC §12)             */
/*
 * A history log is JSON Lines, one fact a line, in any order:
 *   {"kind":"lead","lead":"L-1","at":"2026-11-01T10:00:00Z","channel":"web"}
 *   {"kind":"move","lead":"L-1","from":"new","to":"mql","at":1793527200,"reason":null,"by":"auto"}
 *   {"kind":"deal","lead":"L-1","value":12000,"at":1793600000}
 *   {"kind":"cost","channel":"web","amount":500,"at":1793500000}
 * Lines are read strictly: an unknown kind or field, a missing field, a wrong
 * type, a bad time or a stage the model lacks is FUNNEL_E_INVALID; a line that
 * is not JSON (or not UTF-8) is FUNNEL_E_PARSE; funnel_last_error() names the
 * line number (1-based, blank lines counted) and the field. Blank lines are skipped.
 *
 * A report covers the period [from, to) in seconds since the epoch; NaN leaves
 * that end open. An infinity, or from > to, is FUNNEL_E_ARGUMENT. The result is a
 * funnel.report/1 document (one line of compact JSON, no trailing newline).
 */

/* The funnel report of a whole history log (`len` bytes at `history_jsonl`;
 * NULL is FUNNEL_E_ARGUMENT even when len is 0) for `model`, in *out_json
 * (free with funnel_string_free). Thread-safe: any number of calls at once. */
FUNNEL_API funnel_status funnel_report_json(const funnel_model *model, const char *history_jsonl, size_t len,
                                            double from, double to, char **out_json);

/* A history log fed a piece at a time, for logs too large to hold as one text:
 *
 *   funnel_report_builder *b;
 *   funnel_report_builder_new(model, &b);
 *   while (read_some_lines(&text, &len)) funnel_report_builder_add(b, text, len);
 *   funnel_report_builder_finish(b, from, to, &json);   (may be called again)
 *   funnel_report_builder_free(b);
 *
 * The builder keeps per lead its capture and compact records of its moves and
 * deals, never the text. It keeps its own reference to the model: it may
 * outlive the funnel_model it was made from. A builder is not thread-safe: use
 * it from one thread at a time (distinct builders are independent).
 *
 * funnel_report_builder_new: FUNNEL_E_ARGUMENT for a NULL model or out.
 * On success *out is the caller's, released with funnel_report_builder_free. */
FUNNEL_API funnel_status funnel_report_builder_new(const funnel_model *model, funnel_report_builder **out);

/* Adds whole lines (`len` bytes; a last line without '\n' counts as whole, so
 * never split a line between calls). Line numbers run on across calls. On a bad
 * line (FUNNEL_E_PARSE or FUNNEL_E_INVALID) the lines before it in this call are
 * kept, it and the rest of this call are not; the builder stays usable.
 * FUNNEL_E_ARGUMENT for a NULL builder or jsonl. */
FUNNEL_API funnel_status funnel_report_builder_add(funnel_report_builder *builder, const char *jsonl, size_t len);

/* The report for [from, to) of every line added so far, in *out_json (free with
 * funnel_string_free). The builder is unchanged: add more lines or ask for
 * another period afterwards. FUNNEL_E_ARGUMENT for a NULL builder or out_json,
 * an infinite end, or from > to. */
FUNNEL_API funnel_status funnel_report_builder_finish(const funnel_report_builder *builder, double from, double to,
                                                     char **out_json);

/* Releases a builder. NULL: no-op. */
FUNNEL_API void funnel_report_builder_free(funnel_report_builder *builder);
/* Win probability (SPEC §14)                                                */
/*
 * A win model is learnt from closed leads (examples) and gives each open lead
 * its chance of being won and the factors behind it. The model's `predict`
 * section says which fields count. Train once, keep the document, load it:
 *
 *   char *doc;
 *   funnel_winmodel_train_jsonl(model, examples, examples_len, &doc);
 *   funnel_winmodel *win;
 *   funnel_winmodel_load(model, doc, strlen(doc), &win);
 *   funnel_string_free(doc);
 *   funnel_score_json_win(model, win, lead, lead_len, as_of, &result);
 *   funnel_winmodel_free(win);
 */

/* Learns a win model from a JSON Lines text of examples, one a line (blank lines
 * skipped): {"lead": <lead document>, "outcome": "won"|"lost", "stage": S}, where
 * S, the last path stage a lost lead reached, is required for lost leads when the
 * model has stages. On success *out_json is the funnel.winmodel/1 document
 * (caller frees with funnel_string_free). All or nothing: a bad line fails the
 * call with a message naming the line and the field.
 * Statuses: FUNNEL_OK; FUNNEL_E_ARGUMENT (NULL model, examples_jsonl or out_json;
 * len too large); FUNNEL_E_PARSE (a line of malformed JSON or invalid UTF-8);
 * FUNNEL_E_INVALID (an example that breaks SPEC §14 or a lead that does not fit
 * the model); FUNNEL_E_LIMIT (no memory for the result). */
FUNNEL_API funnel_status funnel_winmodel_train_jsonl(const funnel_model *model, const char *examples_jsonl,
                                                     size_t len, char **out_json);

/* Loads a funnel.winmodel/1 document for `model`, checked against it (every
 * field one of its `predict` fields, every value one it can have, counts whole
 * numbers no larger than won and lost). On success *out is a new win model
 * (free it with funnel_winmodel_free); it keeps what it needs of `model`.
 * Statuses: FUNNEL_OK; FUNNEL_E_ARGUMENT (NULL model, json or out; len too
 * large); FUNNEL_E_PARSE (malformed JSON, invalid UTF-8); FUNNEL_E_INVALID
 * (every fault, one a line, each with its JSON path, e.g.
 * "fields.color: unknown field ..."). */
FUNNEL_API funnel_status funnel_winmodel_load(const funnel_model *model, const char *json, size_t len,
                                              funnel_winmodel **out);

/* Releases a win model. NULL: no-op. */
FUNNEL_API void funnel_winmodel_free(funnel_winmodel *win_model);

/* As funnel_score_json, and the result adds "win_probability" (a number, or null
 * when the win model has too few examples) and "win_factors"
 * ([{"field","value","weight"}], strongest first). `win_model` must have been
 * loaded for this model (or one loaded from an equal document).
 * Statuses: FUNNEL_OK; FUNNEL_E_ARGUMENT (a NULL pointer, a non-finite as_of, a
 * win model of another model); FUNNEL_E_PARSE; FUNNEL_E_INVALID (the lead does
 * not fit the model); FUNNEL_E_LIMIT (no memory for the result). */
FUNNEL_API funnel_status funnel_score_json_win(const funnel_model *model, const funnel_winmodel *win_model,
                                               const char *lead_json, size_t len, double as_of,
                                               char **out_json);

/* As funnel_score_jsonl, each result with the win fields of funnel_score_json_win.
 * A bad line fails the whole call with a message naming the line and the field.
 * Statuses as funnel_score_json_win. */
FUNNEL_API funnel_status funnel_score_jsonl_win(const funnel_model *model, const funnel_winmodel *win_model,
                                                const char *jsonl, size_t len, double as_of,
                                                char **out_jsonl);

/* ------------------------------------------------------------------------ */
/* Routing (SPEC §10)                                                        */

/* A router: a funnel.routing/1 document compiled against a model, and its
 * state (who is available, each person's assignments, each team's last person
 * and current weights). Opaque.
 *
 * Threads: a router is NOT safe to use from two threads at once: use it from
 * one thread at a time (or one router per thread). Calls that overlap anyway
 * are serialised inside the library, so they never crash or corrupt the
 * state, but their order (and so who gets which lead, and whether an instant
 * counts as going backwards) is then up to the scheduler.
 *
 * Every function below that fails leaves the router's state exactly as it was.
 * Routing instants are seconds since the epoch and never go backwards: a lead
 * routed earlier than the last lead routed (leads that keep their owner do not
 * count) is FUNNEL_E_REFUSED. */
typedef struct funnel_router funnel_router;

/* Compiles `routing_json` (a funnel.routing/1 document of `len` bytes) against
 * `model`, whose attributes, criteria and scores its conditions may name. The
 * state is read from `state_json` (a funnel.roster/1 document of `state_len`
 * bytes, as funnel_router_state_json writes it), or starts fresh when
 * `state_json` is NULL. The router keeps what it needs of the model: the model
 * may be freed first.
 * Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT (model, routing_json or out NULL);
 * FUNNEL_E_PARSE (either document malformed or not UTF-8); FUNNEL_E_INVALID
 * (a fault in either document: funnel_last_error() lists every fault, one a
 * line, each with its JSON path). On success *out is a new router (free it
 * with funnel_router_free); on failure NULL. */
FUNNEL_API funnel_status funnel_router_new(const funnel_model *model, const char *routing_json, size_t len,
                                           const char *state_json, size_t state_len, funnel_router **out);

/* Releases a router. NULL: no-op.
 * Returns: no status. */
FUNNEL_API void funnel_router_free(funnel_router *router);

/* Routes one lead (a SPEC §6 lead document, which may carry "owner") at its
 * own "at" field when it has one (seconds or RFC 3339 text), else at `at`;
 * with `reassign` non-zero a lead that has an owner is routed too. *out_json
 * is the route result:
 *   {"id":"L-1","team":"iberia","owner":"maria","queue":null,"kept":false,
 *    "skipped":[{"team":"enterprise","members":{"ana":"at capacity"}}]}
 * Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT (router, lead_json or out_json NULL, or an
 * instant that is not finite); FUNNEL_E_PARSE; FUNNEL_E_INVALID (the lead does
 * not fit the model, or its "at" is not a time); FUNNEL_E_REFUSED (the instant
 * is earlier than the last routing instant). Free *out_json with
 * funnel_string_free. */
FUNNEL_API funnel_status funnel_router_route_json(funnel_router *router, const char *lead_json, size_t len,
                                                  double at, int reassign, char **out_json);

/* Routes JSON Lines leads in order, as funnel_router_route_json does each one
 * (blank lines are skipped), and returns one route result a line. All or
 * nothing: when a line fails, nothing is routed, *out_jsonl is NULL and
 * funnel_last_error() names the line ("line 3: attributes.employees: ...").
 * Returns: FUNNEL_OK; as funnel_router_route_json (FUNNEL_E_ARGUMENT also for a
 * non-finite `at`). */
FUNNEL_API funnel_status funnel_router_route_jsonl(funnel_router *router, const char *jsonl, size_t len,
                                                   double at, int reassign, char **out_jsonl);

/* Marks `person` (a NUL-terminated member id) available (non-zero) or not,
 * from the next lead on. Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT (router or person NULL);
 * FUNNEL_E_PARSE (person not UTF-8); FUNNEL_E_INVALID (no team has such a
 * member). */
FUNNEL_API funnel_status funnel_router_set_available(funnel_router *router, const char *person, int available);

/* The router's state as a funnel.roster/1 document, to give back to
 * funnel_router_new later: every person (availability, the assignments still
 * inside the capacity window) and every team (last person, current weights),
 * plus "last_at", the last routing instant. Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT
 * (router or out_json NULL). Free *out_json with funnel_string_free. */
FUNNEL_API funnel_status funnel_router_state_json(const funnel_router *router, char **out_json);
/* Conversion: contact, account and deal; duplicates (SPEC §11)              */

/* A new, empty account index for conversions with `model` (which it does not
 * need to outlive). Free it with funnel_accounts_free().
 * Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT (model or out NULL). */
FUNNEL_API funnel_status funnel_accounts_new(const funnel_model *model, funnel_accounts **out);

/* Releases an account index. NULL: no-op. */
FUNNEL_API void funnel_accounts_free(funnel_accounts *accounts);

/* How many accounts the index holds; 0 for NULL. */
FUNNEL_API size_t funnel_accounts_count(const funnel_accounts *accounts);

/* Adds the known accounts of a JSON Lines text, one a line (blank lines
 * skipped): {"id": "A-7", "name": "Acme S.L.", "domains": ["acme.es"]} or
 * {"id": "G-3", "group": "Madrid"} (a group may also have a "name"). All or
 * nothing: on any failure the index is unchanged, and funnel_last_error() names
 * the line and the field (a duplicate id, also of an account already added,
 * names both lines).
 * Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT (accounts or jsonl NULL, len too large);
 * FUNNEL_E_PARSE (a line of malformed JSON or invalid UTF-8); FUNNEL_E_INVALID
 * (a missing, unknown or badly typed field, an empty domain, a duplicate id). */
FUNNEL_API funnel_status funnel_accounts_add_jsonl(funnel_accounts *accounts, const char *jsonl, size_t len);

/* Adds one company account: `id` and `name` NUL-terminated, `domains` an array
 * of `domain_count` NUL-terminated domains (NULL when domain_count is 0).
 * Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT (accounts, id, name or a domain NULL);
 * FUNNEL_E_PARSE (invalid UTF-8); FUNNEL_E_INVALID (an empty id or name, an
 * empty domain, a duplicate id); the index is unchanged on failure. */
FUNNEL_API funnel_status funnel_accounts_add_company(funnel_accounts *accounts, const char *id, const char *name,
                                                     const char *const *domains, size_t domain_count);

/* Adds one group account (a region, a store); `name` may be NULL.
 * Returns: as funnel_accounts_add_company. */
FUNNEL_API funnel_status funnel_accounts_add_group(funnel_accounts *accounts, const char *id, const char *group,
                                                   const char *name);

/* Converts one lead document (SPEC §6; it may name its account's id in
 * "account") at `as_of` and returns the conversion result in *out_json:
 *   {"id":"L-1","contact":{"name":"Ana","email":"ana@acme.es","phone":null},
 *    "account":{"match":"domain","id":"A-7","name":"Acme S.L.","domains":["acme.es"],"candidates":[]},
 *    "deal":{"name":"Acme S.L.","value":12000,"close_date":1802776000}}
 * `accounts` NULL means no known accounts.
 * Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT (model, lead_json or out_json NULL, len
 * too large, as_of not finite); FUNNEL_E_PARSE (malformed JSON, invalid UTF-8);
 * FUNNEL_E_INVALID (a bad lead, a badly typed attribute, an "account" id the
 * index does not know); FUNNEL_E_LIMIT (no memory for the result). */
FUNNEL_API funnel_status funnel_convert_json(const funnel_model *model, const funnel_accounts *accounts,
                                             const char *lead_json, size_t len, double as_of, char **out_json);

/* As funnel_convert_json for every lead of a JSON Lines text: one conversion
 * result a line, in input order, each ending in '\n'. A bad line fails the
 * whole call, naming the line and the field.
 * Returns: as funnel_convert_json (FUNNEL_E_PARSE and FUNNEL_E_INVALID name the line). */
FUNNEL_API funnel_status funnel_convert_jsonl(const funnel_model *model, const funnel_accounts *accounts,
                                              const char *jsonl, size_t len, double as_of, char **out_jsonl);

/* Finds the duplicate leads of a JSON Lines text (shared email or phone key of
 * the model's conversion.contact attributes, closed transitively) and returns
 * one line per group of two or more, in the input order of each group's first
 * lead: {"head":"L-1","merged":["L-7"],"keys":["email:ana@acme.es"],"lead":{...}}
 * where "lead" is the merged lead document. Empty text when there are none.
 * Returns: FUNNEL_OK; FUNNEL_E_ARGUMENT (model, jsonl or out_jsonl NULL, len too
 * large); FUNNEL_E_PARSE (a line of malformed JSON or invalid UTF-8);
 * FUNNEL_E_INVALID (a bad lead, an unknown stage; naming the line);
 * FUNNEL_E_LIMIT (no memory for the result). */
FUNNEL_API funnel_status funnel_dedupe_jsonl(const funnel_model *model, const char *jsonl, size_t len,
                                             char **out_jsonl);

#ifdef __cplusplus
}
#endif

#endif /* FUNNEL_H */
