/*
 * test_arrow.c — Arrow in, Arrow out (funnel_score_arrow, funnel_score_arrow_stream,
 * funnel_arrow_result_*): record batches built by hand from static buffers score
 * as the same leads do as JSON Lines; nulls, dictionaries, lists, timestamps,
 * streams; hostile structs (wrong formats, negative lengths, offsets beyond
 * their buffers, NULL buffers, released structs) are statuses, never crashes;
 * exports are independent and released exactly once.
 */
#include "test_support.h"

/* ------------------------------------------------------------------------ */
/* Building record batches                                                   */

static int released_arrays;

static void release_schema(struct ArrowSchema *s) { s->release = NULL; }
static void release_array(struct ArrowArray *a) {
    a->release = NULL;
    released_arrays++;
}

static struct ArrowSchema field(const char *format, const char *name, int64_t n_children,
                                struct ArrowSchema **children) {
    struct ArrowSchema s;
    memset(&s, 0, sizeof s);
    s.format = format;
    s.name = name;
    s.flags = ARROW_FLAG_NULLABLE;
    s.n_children = n_children;
    s.children = children;
    s.release = release_schema;
    return s;
}

static struct ArrowArray column(int64_t length, int64_t null_count, int64_t n_buffers, const void **buffers,
                                int64_t n_children, struct ArrowArray **children) {
    struct ArrowArray a;
    memset(&a, 0, sizeof a);
    a.length = length;
    a.null_count = null_count;
    a.n_buffers = n_buffers;
    a.buffers = buffers;
    a.n_children = n_children;
    a.children = children;
    a.release = release_array;
    return a;
}

/* Leads A, B, C of test_support.c, as columns. */
static const int32_t ID_OFFSETS[] = {0, 1, 2, 3};
static const char ID_DATA[] = "ABC";
static const uint8_t ROWS_0_1[] = {0x03}; /* rows 0 and 1 valid, 2 null */
static const int32_t INDUSTRY_INDICES[] = {0, 1, 0};
static const int32_t INDUSTRY_OFFSETS[] = {0, 10, 16};
static const char INDUSTRY_DATA[] = " Software retail";
static const double EMPLOYEES[] = {120, 10, 0};
static const uint8_t DM_BITS[] = {0x02}; /* A false, B true */
static const int32_t TAG_OFFSETS[] = {0, 1, 2, 2};
static const int32_t TAG_VALUE_OFFSETS[] = {0, 3, 13};
static const char TAG_DATA[] = "vipcompetitor";

/* Events: A's six, B's one (LEAD_A, LEAD_B), in another order than the leads'. */
static const int32_t EV_LEAD_OFFSETS[] = {0, 1, 2, 3, 4, 5, 6, 7};
static const char EV_LEAD_DATA[] = "BAAAAAA";
static const int32_t EV_TYPE_INDICES[] = {2, 0, 0, 1, 1, 0, 0};
static const int32_t EV_TYPE_OFFSETS[] = {0, 10, 24, 41};
static const char EV_TYPE_DATA[] = "page.visitcall.completedemail.unsubscribe";
/* seconds, as timestamp[ms, UTC] */
static const int64_t EV_AT_MS[] = {998272000000LL, 999136000000LL, 1000000000000LL, 999136000000LL,
                                   1000000000000LL, 991273600000LL, 1000000010000LL};
static const double EV_MINUTES[] = {0, 0, 0, 25, 5, 0, 0};
static const uint8_t EV_MINUTES_VALID[] = {0x18}; /* rows 3 and 4 */

typedef struct {
    /* leads */
    struct ArrowSchema s_id, s_industry, s_industry_dict, s_employees, s_dm, s_tags, s_tag, s_leads;
    struct ArrowSchema *s_leads_children[5], *s_tags_children[1];
    struct ArrowArray a_id, a_industry, a_industry_dict, a_employees, a_dm, a_tags, a_tag, a_leads;
    struct ArrowArray *a_leads_children[5], *a_tags_children[1];
    const void *b_id[3], *b_industry[2], *b_industry_dict[3], *b_employees[2], *b_dm[2], *b_tags[2], *b_tag[3],
        *b_leads[1];
    /* events */
    struct ArrowSchema s_lead, s_type, s_type_dict, s_at, s_minutes, s_events;
    struct ArrowSchema *s_events_children[4];
    struct ArrowArray a_lead, a_type, a_type_dict, a_at, a_minutes, a_events;
    struct ArrowArray *a_events_children[4];
    const void *b_lead[3], *b_type[2], *b_type_dict[3], *b_at[2], *b_minutes[2], *b_events[1];
} tables;

/* Fills `t` with the leads and events above (pointers into `t` itself: do not copy it). */
static void build(tables *t) {
    memset(t, 0, sizeof *t);
    t->s_id = field("u", "id", 0, NULL);
    t->b_id[1] = ID_OFFSETS;
    t->b_id[2] = ID_DATA;
    t->a_id = column(3, 0, 3, t->b_id, 0, NULL);

    t->s_industry_dict = field("u", "", 0, NULL);
    t->s_industry = field("i", "industry", 0, NULL);
    t->s_industry.dictionary = &t->s_industry_dict;
    t->b_industry_dict[1] = INDUSTRY_OFFSETS;
    t->b_industry_dict[2] = INDUSTRY_DATA;
    t->a_industry_dict = column(2, 0, 3, t->b_industry_dict, 0, NULL);
    t->b_industry[0] = ROWS_0_1;
    t->b_industry[1] = INDUSTRY_INDICES;
    t->a_industry = column(3, 1, 2, t->b_industry, 0, NULL);
    t->a_industry.dictionary = &t->a_industry_dict;

    t->s_employees = field("g", "employees", 0, NULL);
    t->b_employees[0] = ROWS_0_1;
    t->b_employees[1] = EMPLOYEES;
    t->a_employees = column(3, 1, 2, t->b_employees, 0, NULL);

    t->s_dm = field("b", "dm", 0, NULL);
    t->b_dm[0] = ROWS_0_1;
    t->b_dm[1] = DM_BITS;
    t->a_dm = column(3, 1, 2, t->b_dm, 0, NULL);

    t->s_tag = field("u", "item", 0, NULL);
    t->s_tags_children[0] = &t->s_tag;
    t->s_tags = field("+l", "tags", 1, t->s_tags_children);
    t->b_tag[1] = TAG_VALUE_OFFSETS;
    t->b_tag[2] = TAG_DATA;
    t->a_tag = column(2, 0, 3, t->b_tag, 0, NULL);
    t->a_tags_children[0] = &t->a_tag;
    t->b_tags[0] = ROWS_0_1;
    t->b_tags[1] = TAG_OFFSETS;
    t->a_tags = column(3, 1, 2, t->b_tags, 1, t->a_tags_children);

    t->s_leads_children[0] = &t->s_id;
    t->s_leads_children[1] = &t->s_industry;
    t->s_leads_children[2] = &t->s_employees;
    t->s_leads_children[3] = &t->s_dm;
    t->s_leads_children[4] = &t->s_tags;
    t->s_leads = field("+s", "", 5, t->s_leads_children);
    t->a_leads_children[0] = &t->a_id;
    t->a_leads_children[1] = &t->a_industry;
    t->a_leads_children[2] = &t->a_employees;
    t->a_leads_children[3] = &t->a_dm;
    t->a_leads_children[4] = &t->a_tags;
    t->a_leads = column(3, 0, 1, t->b_leads, 5, t->a_leads_children);

    t->s_lead = field("u", "lead", 0, NULL);
    t->b_lead[1] = EV_LEAD_OFFSETS;
    t->b_lead[2] = EV_LEAD_DATA;
    t->a_lead = column(7, 0, 3, t->b_lead, 0, NULL);

    t->s_type_dict = field("u", "", 0, NULL);
    t->s_type = field("i", "type", 0, NULL);
    t->s_type.dictionary = &t->s_type_dict;
    t->b_type_dict[1] = EV_TYPE_OFFSETS;
    t->b_type_dict[2] = EV_TYPE_DATA;
    t->a_type_dict = column(3, 0, 3, t->b_type_dict, 0, NULL);
    t->b_type[1] = EV_TYPE_INDICES;
    t->a_type = column(7, 0, 2, t->b_type, 0, NULL);
    t->a_type.dictionary = &t->a_type_dict;

    t->s_at = field("tsm:UTC", "at", 0, NULL);
    t->b_at[1] = EV_AT_MS;
    t->a_at = column(7, 0, 2, t->b_at, 0, NULL);

    t->s_minutes = field("g", "minutes", 0, NULL);
    t->b_minutes[0] = EV_MINUTES_VALID;
    t->b_minutes[1] = EV_MINUTES;
    t->a_minutes = column(7, 5, 2, t->b_minutes, 0, NULL);

    t->s_events_children[0] = &t->s_lead;
    t->s_events_children[1] = &t->s_type;
    t->s_events_children[2] = &t->s_at;
    t->s_events_children[3] = &t->s_minutes;
    t->s_events = field("+s", "", 4, t->s_events_children);
    t->a_events_children[0] = &t->a_lead;
    t->a_events_children[1] = &t->a_type;
    t->a_events_children[2] = &t->a_at;
    t->a_events_children[3] = &t->a_minutes;
    t->a_events = column(7, 0, 1, t->b_events, 4, t->a_events_children);
}

/* ------------------------------------------------------------------------ */
/* Reading results                                                           */

/* Checks a result against funnel_score_jsonl on LEAD_A, LEAD_B, LEAD_C at T. */
static void check_against_jsonl(funnel_model *m, funnel_arrow_result *r) {
    char text[4096], *out = NULL, *line;
    struct ArrowSchema schema;
    struct ArrowArray scores;
    int row = 0;
    snprintf(text, sizeof text, "%s\n%s\n%s\n", LEAD_A, LEAD_B, LEAD_C);
    CHECK_STATUS(funnel_score_jsonl(m, text, strlen(text), T, &out), FUNNEL_OK);
    CHECK(funnel_arrow_result_count(r) == 3);
    CHECK_STATUS(funnel_arrow_result_export(r, &schema, &scores), FUNNEL_OK);
    CHECK(scores.length == 3 && scores.n_children == 5 && schema.n_children == 5);
    CHECK_STR(schema.format, "+s");
    CHECK_STR(schema.children[0]->name, "id");
    CHECK_STR(schema.children[0]->format, "u");
    CHECK_STR(schema.children[1]->format, "g");
    CHECK_STR(schema.children[4]->name, "grade");
    for (line = out; out && line && *line && row < 3; row++) {
        const int32_t *ids = (const int32_t *)scores.children[0]->buffers[1];
        const char *id_data = (const char *)scores.children[0]->buffers[2];
        const struct ArrowArray *grade = scores.children[4];
        const int32_t *g_offsets = (const int32_t *)grade->buffers[1];
        const uint8_t *g_valid = (const uint8_t *)grade->buffers[0];
        char id[16], expected_grade[16], got_grade[16];
        int has_grade = g_valid == NULL || (g_valid[row / 8] >> (row % 8)) & 1;
        size_t id_len = (size_t)(ids[row + 1] - ids[row]);
        memcpy(id, id_data + ids[row], id_len);
        id[id_len] = 0;
        json_string(line, "id", expected_grade, sizeof expected_grade);
        CHECK_STR(id, expected_grade);
        CHECK(((const double *)scores.children[1]->buffers[1])[row] == json_number(line, "fit"));
        CHECK(((const double *)scores.children[2]->buffers[1])[row] == json_number(line, "behavior"));
        CHECK(((const double *)scores.children[3]->buffers[1])[row] == json_number(line, "total"));
        json_string(line, "grade", expected_grade, sizeof expected_grade);
        got_grade[0] = 0;
        if (has_grade) {
            size_t n = (size_t)(g_offsets[row + 1] - g_offsets[row]);
            memcpy(got_grade, (const char *)grade->buffers[2] + g_offsets[row], n);
            got_grade[n] = 0;
        }
        CHECK_STR(got_grade, expected_grade);
        line = strchr(line, '\n');
        if (line) line++;
    }
    CHECK(row == 3);
    CHECK(scores.children[4]->null_count == 2);
    scores.release(&scores);
    schema.release(&schema);
    CHECK(scores.release == NULL && schema.release == NULL);
    funnel_string_free(out);
}

/* ------------------------------------------------------------------------ */
/* A stream over record batches                                              */

typedef struct {
    const struct ArrowSchema *schema;
    const struct ArrowArray *batches;
    int count, next, fail_at;
} stream_state;

static int copy_schema(const struct ArrowSchema *from, struct ArrowSchema *to) {
    *to = *from; /* a shallow copy: the fields point to static test data */
    to->release = release_schema;
    return 0;
}

static int stream_get_schema(struct ArrowArrayStream *s, struct ArrowSchema *out) {
    return copy_schema(((stream_state *)s->private_data)->schema, out);
}

static int stream_get_next(struct ArrowArrayStream *s, struct ArrowArray *out) {
    stream_state *st = (stream_state *)s->private_data;
    if (st->next == st->fail_at) return 5; /* EIO */
    if (st->next >= st->count) {
        memset(out, 0, sizeof *out); /* the end: a released array */
        return 0;
    }
    *out = st->batches[st->next++];
    out->release = release_array;
    return 0;
}

static const char *stream_last_error(struct ArrowArrayStream *s) {
    (void)s;
    return "the disk is on fire";
}

static void stream_release(struct ArrowArrayStream *s) { s->release = NULL; }

static struct ArrowArrayStream stream_of(stream_state *st) {
    struct ArrowArrayStream s;
    s.get_schema = stream_get_schema;
    s.get_next = stream_get_next;
    s.get_last_error = stream_last_error;
    s.release = stream_release;
    s.private_data = st;
    return s;
}

/* ------------------------------------------------------------------------ */
/* Tests                                                                     */

static void test_arrow_values(funnel_model *m) {
    tables t;
    funnel_arrow_result *r = NULL;
    funnel_arrow_options options = FUNNEL_ARROW_OPTIONS_INIT;
    build(&t);
    CHECK_STATUS(funnel_score_arrow(m, &t.s_leads, &t.a_leads, &t.s_events, &t.a_events, T, NULL, &r), FUNNEL_OK);
    CHECK(r != NULL);
    if (r) check_against_jsonl(m, r);
    funnel_arrow_result_free(r);
    /* Borrowed structs are never released by the library. */
    CHECK(t.a_leads.release != NULL && t.s_leads.release != NULL && t.a_events.release != NULL);
    /* One thread gives the same. */
    options.threads = 1;
    CHECK_STATUS(funnel_score_arrow(m, &t.s_leads, &t.a_leads, &t.s_events, &t.a_events, T, &options, &r), FUNNEL_OK);
    if (r) check_against_jsonl(m, r);
    funnel_arrow_result_free(r);
    funnel_arrow_result_free(NULL);
    CHECK(funnel_arrow_result_count(NULL) == 0);
}

static void test_arrow_streams(funnel_model *m) {
    tables t;
    struct ArrowArray lead_batches[2], event_batches[2];
    stream_state ls, es;
    struct ArrowArrayStream leads, events;
    funnel_arrow_result *r = NULL;
    build(&t);
    /* Leads in two batches (rows 0-1, then row 2, by offset), events in two. */
    lead_batches[0] = t.a_leads;
    lead_batches[0].length = 2;
    lead_batches[1] = t.a_leads;
    lead_batches[1].offset = 2;
    lead_batches[1].length = 1;
    event_batches[0] = t.a_events;
    event_batches[0].length = 3;
    event_batches[1] = t.a_events;
    event_batches[1].offset = 3;
    event_batches[1].length = 4;
    ls.schema = &t.s_leads;
    ls.batches = lead_batches;
    ls.count = 2;
    ls.next = 0;
    ls.fail_at = -1;
    es = ls;
    es.schema = &t.s_events;
    es.batches = event_batches;
    leads = stream_of(&ls);
    events = stream_of(&es);
    released_arrays = 0;
    CHECK_STATUS(funnel_score_arrow_stream(m, &leads, &events, T, NULL, &r), FUNNEL_OK);
    CHECK(released_arrays == 4); /* every array it took, once */
    CHECK(leads.release != NULL && events.release != NULL); /* the streams stay ours */
    if (r) check_against_jsonl(m, r);
    funnel_arrow_result_free(r);

    /* A stream that fails: the message is quoted, what it gave is released. */
    ls.next = 0;
    ls.fail_at = 1;
    released_arrays = 0;
    CHECK_STATUS(funnel_score_arrow_stream(m, &leads, NULL, T, NULL, &r), FUNNEL_E_ARGUMENT);
    CHECK_CONTAINS(funnel_last_error(), "on fire");
    CHECK(r == NULL && released_arrays == 1);
    CHECK_STATUS(funnel_score_arrow_stream(m, NULL, NULL, T, NULL, &r), FUNNEL_E_ARGUMENT);
    leads.release = NULL;
    CHECK_STATUS(funnel_score_arrow_stream(m, &leads, NULL, T, NULL, &r), FUNNEL_E_ARGUMENT);
}

static void test_arrow_exports(funnel_model *m) {
    tables t;
    funnel_arrow_result *r = NULL;
    struct ArrowSchema s1, s2;
    struct ArrowArray a1, a2, moved;
    build(&t);
    CHECK_STATUS(funnel_score_arrow(m, &t.s_leads, &t.a_leads, NULL, NULL, T, NULL, &r), FUNNEL_OK);
    if (!r) return;
    CHECK_STATUS(funnel_arrow_result_export(r, &s1, &a1), FUNNEL_OK);
    CHECK_STATUS(funnel_arrow_result_export(r, NULL, &a2), FUNNEL_OK);
    CHECK_STATUS(funnel_arrow_result_export(r, &s2, NULL), FUNNEL_OK);
    CHECK_STATUS(funnel_arrow_result_export(r, NULL, NULL), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_arrow_result_export(NULL, &s1, &a1), FUNNEL_E_ARGUMENT);
    funnel_arrow_result_free(r); /* the exports keep the scores */
    /* Without events, fit only: A 18, B 4, C 0. */
    CHECK(((const double *)a1.children[1]->buffers[1])[0] == 18);
    CHECK(((const double *)a2.children[3]->buffers[1])[1] == 4);
    /* Move a child out, release the parent, then the child. */
    moved = *a1.children[1];
    a1.children[1]->release = NULL;
    a1.release(&a1);
    CHECK(((const double *)moved.buffers[1])[0] == 18);
    moved.release(&moved);
    a2.release(&a2);
    s1.release(&s1);
    s2.release(&s2);
    CHECK(a1.release == NULL && moved.release == NULL && s2.release == NULL);
}

/* funnel_arrow_result_export_stream: one batch, then the end; each stream
 * keeps the scores and outlives the result; the library reads it back. */
static void test_arrow_export_stream(funnel_model *m) {
    tables t;
    funnel_arrow_result *r = NULL, *again = NULL;
    struct ArrowArrayStream s1, s2;
    struct ArrowSchema schema;
    struct ArrowArray batch, end;
    funnel_arrow_options ignore = FUNNEL_ARROW_OPTIONS_INIT;
    build(&t);
    CHECK_STATUS(funnel_score_arrow(m, &t.s_leads, &t.a_leads, NULL, NULL, T, NULL, &r), FUNNEL_OK);
    if (!r) return;
    CHECK_STATUS(funnel_arrow_result_export_stream(NULL, &s1), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_arrow_result_export_stream(r, NULL), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_arrow_result_export_stream(r, &s1), FUNNEL_OK);
    CHECK_STATUS(funnel_arrow_result_export_stream(r, &s2), FUNNEL_OK);
    funnel_arrow_result_free(r); /* the streams keep the scores */
    CHECK(s1.get_last_error(&s1) == NULL);
    CHECK(s1.get_schema(&s1, &schema) == 0);
    CHECK_STR(schema.format, "+s");
    CHECK(schema.n_children == 5);
    CHECK_STR(schema.children[0]->name, "id");
    CHECK_STR(schema.children[3]->name, "total");
    CHECK(s1.get_next(&s1, NULL) != 0);
    CHECK(s1.get_next(&s1, &batch) == 0);
    CHECK(batch.release != NULL && batch.length == 3 && batch.n_children == 5);
    /* Without events, fit only: A 18, B 4, C 0. */
    CHECK(((const double *)batch.children[1]->buffers[1])[0] == 18);
    CHECK(((const double *)batch.children[3]->buffers[1])[1] == 4);
    CHECK(s1.get_next(&s1, &end) == 0 && end.release == NULL); /* the end */
    CHECK(s1.get_next(&s1, &end) == 0 && end.release == NULL); /* and it stays there */
    s1.release(&s1);
    CHECK(s1.release == NULL);
    /* What it gave outlives the stream. */
    CHECK(((const double *)batch.children[1]->buffers[1])[0] == 18);
    batch.release(&batch);
    schema.release(&schema);
    CHECK(batch.release == NULL && schema.release == NULL);
    /* Read back as a table of leads (its score columns ignored): the same ids. */
    ignore.flags = FUNNEL_ARROW_IGNORE_UNKNOWN;
    CHECK_STATUS(funnel_score_arrow_stream(m, &s2, NULL, T, &ignore, &again), FUNNEL_OK);
    CHECK(funnel_arrow_result_count(again) == 3);
    funnel_arrow_result_free(again);
    CHECK(s2.release != NULL); /* still ours after the read */
    s2.release(&s2);
}

static void test_arrow_options_and_columns(funnel_model *m) {
    tables t;
    funnel_arrow_result *r = NULL;
    funnel_arrow_options options = FUNNEL_ARROW_OPTIONS_INIT;
    build(&t);
    options.version = 99;
    CHECK_STATUS(funnel_score_arrow(m, &t.s_leads, &t.a_leads, NULL, NULL, T, &options, &r), FUNNEL_E_ARGUMENT);
    options.version = FUNNEL_ARROW_OPTIONS_VERSION;
    options.flags = 8;
    CHECK_STATUS(funnel_score_arrow(m, &t.s_leads, &t.a_leads, NULL, NULL, T, &options, &r), FUNNEL_E_ARGUMENT);
    /* An unknown column fails, naming it, unless ignored. */
    t.s_employees.name = "employes";
    CHECK_STATUS(funnel_score_arrow(m, &t.s_leads, &t.a_leads, NULL, NULL, T, NULL, &r), FUNNEL_E_ARGUMENT);
    CHECK_CONTAINS(funnel_last_error(), "leads.employes");
    options.flags = FUNNEL_ARROW_IGNORE_UNKNOWN;
    CHECK_STATUS(funnel_score_arrow(m, &t.s_leads, &t.a_leads, NULL, NULL, T, &options, &r), FUNNEL_OK);
    funnel_arrow_result_free(r);
    r = NULL;
    build(&t);
    t.s_minutes.name = "seconds";
    CHECK_STATUS(funnel_score_arrow(m, &t.s_leads, &t.a_leads, &t.s_events, &t.a_events, T, NULL, &r),
                 FUNNEL_E_ARGUMENT);
    CHECK_CONTAINS(funnel_last_error(), "events.seconds");
    /* Missing columns. */
    build(&t);
    t.s_id.name = "key";
    CHECK_STATUS(funnel_score_arrow(m, &t.s_leads, &t.a_leads, NULL, NULL, T, NULL, &r), FUNNEL_E_ARGUMENT);
    CHECK_CONTAINS(funnel_last_error(), "\"id\"");
    build(&t);
    t.s_at.name = "when";
    CHECK_STATUS(funnel_score_arrow(m, &t.s_leads, &t.a_leads, &t.s_events, &t.a_events, T, NULL, &r),
                 FUNNEL_E_ARGUMENT);
    /* A type that does not fit the attribute. */
    build(&t);
    t.s_employees.format = "b";
    CHECK_STATUS(funnel_score_arrow(m, &t.s_leads, &t.a_leads, NULL, NULL, T, NULL, &r), FUNNEL_E_INVALID);
    CHECK_CONTAINS(funnel_last_error(), "leads.employees");
    CHECK(r == NULL);
}

/* Each case breaks one thing of a fresh copy of the tables; none may crash. */
static void test_arrow_hostile(funnel_model *m) {
    tables t;
    funnel_arrow_result *r = NULL;
    static const int32_t DECREASING[] = {0, 2, 1, 3};
    static const int32_t BEYOND[] = {0, 1, 2, 9};
    static const int32_t BAD_INDEX[] = {0, 7, 0}; /* row 1 (row 2 is null: its index is never read) */
    static const char BAD_UTF8[] = "A\xff" "C";
    static const int32_t NEGATIVE_OFFSET[] = {-4, 1, 2, 3};
    struct ArrowSchema *no_children[1] = {NULL};

#define HOSTILE(setup, expected)                                                                              \
    do {                                                                                                      \
        build(&t);                                                                                            \
        setup;                                                                                                \
        r = NULL;                                                                                             \
        CHECK_STATUS(funnel_score_arrow(m, &t.s_leads, &t.a_leads, &t.s_events, &t.a_events, T, NULL, &r), \
                     expected);                                                                               \
        CHECK(r == NULL);                                                                                     \
        funnel_arrow_result_free(r);                                                                          \
    } while (0)

    /* NULL pointers. */
    build(&t);
    CHECK_STATUS(funnel_score_arrow(NULL, &t.s_leads, &t.a_leads, NULL, NULL, T, NULL, &r), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_score_arrow(m, NULL, &t.a_leads, NULL, NULL, T, NULL, &r), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_score_arrow(m, &t.s_leads, NULL, NULL, NULL, T, NULL, &r), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_score_arrow(m, &t.s_leads, &t.a_leads, &t.s_events, NULL, T, NULL, &r), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_score_arrow(m, &t.s_leads, &t.a_leads, NULL, NULL, T, NULL, NULL), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_score_arrow(m, &t.s_leads, &t.a_leads, NULL, NULL, NAN, NULL, &r), FUNNEL_E_ARGUMENT);

    /* Formats. */
    HOSTILE(t.s_leads.format = "+l", FUNNEL_E_ARGUMENT);
    HOSTILE(t.s_leads.format = NULL, FUNNEL_E_ARGUMENT);
    HOSTILE(t.s_employees.format = "zz", FUNNEL_E_ARGUMENT);
    HOSTILE(t.s_employees.format = "e", FUNNEL_E_ARGUMENT); /* float16: unsupported */
    HOSTILE(t.s_at.format = "tsx:", FUNNEL_E_ARGUMENT);
    HOSTILE(t.s_id.format = NULL, FUNNEL_E_ARGUMENT);
    HOSTILE(t.s_industry.dictionary = NULL, FUNNEL_E_ARGUMENT); /* the array has one, the schema not */
    HOSTILE(t.s_industry.format = "g", FUNNEL_E_ARGUMENT);    /* float indices */
    HOSTILE(t.s_tags.n_children = 0, FUNNEL_E_ARGUMENT);
    HOSTILE(t.s_tags.children = no_children, FUNNEL_E_ARGUMENT);
    HOSTILE(t.s_leads_children[2] = NULL, FUNNEL_E_ARGUMENT);
    HOSTILE(t.s_id.name = NULL, FUNNEL_E_ARGUMENT);
    HOSTILE(t.s_dm.name = "id", FUNNEL_E_ARGUMENT); /* two columns named id */
    HOSTILE(t.s_leads.n_children = -1, FUNNEL_E_ARGUMENT);

    /* Lengths, offsets, counts. */
    HOSTILE(t.a_leads.length = -1, FUNNEL_E_ARGUMENT);
    HOSTILE(t.a_employees.length = -5, FUNNEL_E_ARGUMENT);
    HOSTILE(t.a_employees.length = 2, FUNNEL_E_ARGUMENT); /* shorter than the batch */
    HOSTILE(t.a_employees.offset = INT64_MAX, FUNNEL_E_ARGUMENT);
    HOSTILE(t.a_leads.offset = -1, FUNNEL_E_ARGUMENT);
    HOSTILE(t.a_leads.offset = INT64_MAX - 1, FUNNEL_E_ARGUMENT);
    HOSTILE(t.a_events.offset = INT64_MAX / 16, FUNNEL_E_ARGUMENT);
    HOSTILE(t.a_employees.null_count = -7, FUNNEL_E_ARGUMENT);
    HOSTILE(t.a_employees.n_buffers = 3, FUNNEL_E_ARGUMENT);
    HOSTILE(t.a_employees.n_buffers = -1, FUNNEL_E_ARGUMENT);
    HOSTILE(t.a_leads.n_children = 4, FUNNEL_E_ARGUMENT);
    HOSTILE(t.a_leads.n_buffers = 0, FUNNEL_E_ARGUMENT);
    HOSTILE(t.a_tags.n_children = 0, FUNNEL_E_ARGUMENT);
    HOSTILE(t.b_id[1] = DECREASING, FUNNEL_E_ARGUMENT);
    HOSTILE(t.b_id[1] = NEGATIVE_OFFSET, FUNNEL_E_ARGUMENT);
    HOSTILE(t.b_tags[1] = BEYOND, FUNNEL_E_ARGUMENT); /* list offsets beyond the 2 members */
    HOSTILE(t.b_industry[1] = BAD_INDEX, FUNNEL_E_ARGUMENT);
    HOSTILE(t.a_industry_dict.length = 1, FUNNEL_E_ARGUMENT); /* index 1 beyond the dictionary */

    /* NULL buffers. */
    HOSTILE(t.b_employees[1] = NULL, FUNNEL_E_ARGUMENT);
    HOSTILE(t.b_employees[0] = NULL, FUNNEL_E_ARGUMENT); /* null_count 1 without a bitmap */
    HOSTILE(t.a_employees.buffers = NULL, FUNNEL_E_ARGUMENT);
    HOSTILE(t.b_id[1] = NULL, FUNNEL_E_ARGUMENT);
    HOSTILE(t.b_id[2] = NULL, FUNNEL_E_ARGUMENT);
    HOSTILE(t.a_leads.children = NULL, FUNNEL_E_ARGUMENT);
    HOSTILE(t.a_leads_children[1] = NULL, FUNNEL_E_ARGUMENT);
    HOSTILE(t.a_tags_children[0] = NULL, FUNNEL_E_ARGUMENT);
    HOSTILE(t.a_at.buffers = NULL, FUNNEL_E_ARGUMENT);

    /* Released structs. */
    HOSTILE(t.a_leads.release = NULL, FUNNEL_E_ARGUMENT);
    HOSTILE(t.s_leads.release = NULL, FUNNEL_E_ARGUMENT);
    HOSTILE(t.a_dm.release = NULL, FUNNEL_E_ARGUMENT);

    /* Data that breaks the contract. */
    HOSTILE(t.b_id[2] = BAD_UTF8, FUNNEL_E_PARSE);
    HOSTILE(t.b_lead[2] = "BAAAAAZ", FUNNEL_E_INVALID); /* no lead Z */
    CHECK_CONTAINS(funnel_last_error(), "\"Z\"");
    HOSTILE(t.b_id[2] = "AAC", FUNNEL_E_INVALID); /* A twice, with events */
    HOSTILE(t.a_id.null_count = 1; t.b_id[0] = ROWS_0_1, FUNNEL_E_INVALID); /* C's id null */
    HOSTILE(t.a_lead.null_count = 1; t.b_lead[0] = ROWS_0_1, FUNNEL_E_INVALID);
    HOSTILE(t.s_at.format = "b", FUNNEL_E_INVALID); /* times as booleans */
#undef HOSTILE
}

void test_arrow(void) {
    funnel_model *m = load_text(TINY_MODEL);
    if (!m) return;
    test_arrow_values(m);
    test_arrow_streams(m);
    test_arrow_exports(m);
    test_arrow_export_stream(m);
    test_arrow_options_and_columns(m);
    test_arrow_hostile(m);
    funnel_model_free(m);
}
