/*
 * test_funnel.c — tests of the C interface (include/funnel.h), every function
 * and every failure path. Plain C99, no framework.
 *
 *   cc -std=c99 -Wall -Wextra -pedantic -Werror -Iinclude Tests/c/test_funnel.c \
 *      -L.build/lib -lfunnel -lpthread -o test_funnel
 *   LD_LIBRARY_PATH=.build/lib valgrind --error-exitcode=1 --leak-check=full ./test_funnel
 *
 * The last line of output is "N passed, M failed"; the exit status is non-zero
 * when anything failed.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funnel.h"

static int passed;
static int failed;
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;

static void record(int ok, const char *file, int line, const char *what, const char *detail) {
    pthread_mutex_lock(&count_lock);
    if (ok) {
        passed++;
    } else {
        failed++;
        fprintf(stderr, "%s:%d: FAILED: %s%s%s\n", file, line, what, detail ? " -- " : "", detail ? detail : "");
    }
    pthread_mutex_unlock(&count_lock);
}

#define CHECK(cond) record((cond) ? 1 : 0, __FILE__, __LINE__, #cond, NULL)

/* Checks a status and, on a mismatch, prints the last error. */
#define CHECK_STATUS(call, expected)                                                                 \
    do {                                                                                             \
        funnel_status s_ = (call);                                                                   \
        char d_[600];                                                                                \
        snprintf(d_, sizeof d_, "got %d, expected %d; last error: %.500s", (int)s_, (int)(expected), \
                 funnel_last_error());                                                               \
        record(s_ == (expected), __FILE__, __LINE__, #call, d_);                                     \
    } while (0)

/* A status that must be one of two codes (where the contract allows either). */
#define CHECK_STATUS2(call, e1, e2)                                                                   \
    do {                                                                                              \
        funnel_status s_ = (call);                                                                    \
        char d_[600];                                                                                 \
        snprintf(d_, sizeof d_, "got %d, expected %d or %d; last error: %.500s", (int)s_, (int)(e1), \
                 (int)(e2), funnel_last_error());                                                     \
        record(s_ == (e1) || s_ == (e2), __FILE__, __LINE__, #call, d_);                              \
    } while (0)

#define CHECK_CONTAINS(text, part)                                                             \
    do {                                                                                       \
        const char *t_ = (text);                                                               \
        char d_[700];                                                                          \
        snprintf(d_, sizeof d_, "text: \"%.600s\"", t_ ? t_ : "(null)");                       \
        record(t_ != NULL && strstr(t_, (part)) != NULL, __FILE__, __LINE__, #text " contains " #part, d_); \
    } while (0)

#define CHECK_STR(text, expected)                                                                    \
    do {                                                                                             \
        const char *t_ = (text);                                                                     \
        char d_[700];                                                                                \
        snprintf(d_, sizeof d_, "got \"%.600s\"", t_ ? t_ : "(null)");                               \
        record(t_ != NULL && strcmp(t_, (expected)) == 0, __FILE__, __LINE__, #text " == " #expected, d_); \
    } while (0)

#define CHECK_NEAR(value, expected)                                                            \
    do {                                                                                       \
        double v_ = (value), e_ = (expected);                                                  \
        char d_[100];                                                                          \
        snprintf(d_, sizeof d_, "got %.17g, expected %.17g", v_, e_);                          \
        record(v_ - e_ <= 1e-9 && e_ - v_ <= 1e-9, __FILE__, __LINE__, #value " ~ " #expected, d_); \
    } while (0)

/* ------------------------------------------------------------------------ */
/* Fixtures                                                                  */

/* 2001-09-09T01:46:40Z */
#define T 1000000000.0
#define DAY 86400.0
/* lead A's behaviour at T + 10 days: 2 + 4 + 8 * 2^-(863990/864000) + 1.5 */
#define HALF_LIFE_LATER_A 11.50003209027597

static const char TINY_MODEL[] =
    "{\"format\":\"funnel.model/1\",\"name\":\"tiny\","
    "\"attributes\":{\"industry\":\"string\",\"employees\":\"number\",\"dm\":\"bool\",\"tags\":\"strings\"},"
    "\"criteria\":{\"icp\":{\"all\":[{\"attr\":\"industry\",\"eq\":\"software\"},{\"attr\":\"employees\",\"gte\":50}]},"
    "\"decider\":{\"attr\":\"dm\",\"eq\":true}},"
    "\"scoring\":{\"fit\":[{\"id\":\"sw\",\"if\":{\"attr\":\"industry\",\"eq\":\"software\"},\"points\":10},"
    "{\"id\":\"big\",\"if\":{\"attr\":\"employees\",\"gte\":50},\"points\":5},"
    "{\"id\":\"dm\",\"if\":{\"attr\":\"dm\",\"eq\":true},\"points\":4},"
    "{\"id\":\"vip\",\"if\":{\"attr\":\"tags\",\"contains\":\"vip\"},\"points\":3}],"
    "\"behavior\":[{\"id\":\"visit\",\"event\":\"page.visit\",\"points\":8},"
    "{\"id\":\"call\",\"event\":\"call.completed\",\"if\":{\"prop\":\"minutes\",\"gte\":20},\"points\":6},"
    "{\"id\":\"unsub\",\"event\":\"email.unsubscribe\",\"points\":-5}],"
    "\"half_life_days\":10,\"window_days\":100,"
    "\"grades\":[{\"grade\":\"A\",\"min\":15},{\"grade\":\"B\",\"min\":5}]},"
    "\"disqualify\":[{\"id\":\"competitor\",\"if\":{\"attr\":\"tags\",\"contains\":\"competitor\"}}],"
    "\"stages\":{\"initial\":\"new\","
    "\"list\":[{\"id\":\"new\"},{\"id\":\"qualified\",\"enter_when\":{\"criterion\":\"icp\"}},"
    "{\"id\":\"hot\",\"enter_when\":{\"score\":\"total\",\"gte\":20}},"
    "{\"id\":\"deal\",\"requires\":{\"all\":[{\"criterion\":\"decider\"},{\"attr\":\"employees\",\"gte\":100}]}},"
    "{\"id\":\"out\",\"outcome\":\"disqualified\"}],"
    "\"transitions\":[{\"from\":\"new\",\"to\":\"qualified\"},{\"from\":\"qualified\",\"to\":\"hot\"},"
    "{\"from\":\"hot\",\"to\":\"deal\"},{\"from\":\"*\",\"to\":\"out\",\"reasons\":[\"competitor\",\"bad_data\"]}]}}";

/* No name, no stages, no grades. */
static const char BARE_MODEL[] =
    "{\"format\":\"funnel.model/1\",\"attributes\":{\"n\":\"number\"},"
    "\"scoring\":{\"fit\":[{\"id\":\"n\",\"if\":{\"attr\":\"n\",\"gt\":0},\"points\":1}]}}";

/* Lead A at T: fit 10+5+3 = 18; behaviour: visits 8/2 + 8 = 12 (one past the
 * window, one in the future, both ignored), calls 6/2 = 3 (the short one does not
 * match): 15; total 33, grade A. */
static const char LEAD_A[] =
    "{\"id\":\"A\",\"attributes\":{\"industry\":\" Software \",\"employees\":120,\"dm\":false,\"tags\":[\"vip\"]},"
    "\"events\":[{\"type\":\"page.visit\",\"at\":999136000},{\"type\":\"page.visit\",\"at\":1000000000},"
    "{\"type\":\"call.completed\",\"at\":\"2001-08-30T01:46:40Z\",\"props\":{\"minutes\":25}},"
    "{\"type\":\"call.completed\",\"at\":1000000000,\"props\":{\"minutes\":5}},"
    "{\"type\":\"page.visit\",\"at\":991273600},{\"type\":\"page.visit\",\"at\":1000000010}]}";

/* Lead B at T: fit 4, behaviour -5/4 = -1.25 (20 days), total 2.75, no grade,
 * disqualified by competitor. */
static const char LEAD_B[] =
    "{\"id\":\"B\",\"attributes\":{\"industry\":\"retail\",\"employees\":10,\"dm\":true,\"tags\":[\"competitor\"]},"
    "\"events\":[{\"type\":\"email.unsubscribe\",\"at\":998272000}]}";

static const char LEAD_C[] = "{\"id\":\"C\"}";

/* The number after "key": in a JSON text, NAN when absent or null. */
static double json_number(const char *json, const char *key) {
    char pattern[64];
    const char *p;
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    p = json ? strstr(json, pattern) : NULL;
    if (!p) return NAN;
    p += strlen(pattern);
    if (strncmp(p, "null", 4) == 0) return NAN;
    return strtod(p, NULL);
}

/* Copies the string value after "key": (or "" for null / absent) into buf. */
static const char *json_string(const char *json, const char *key, char *buf, size_t size) {
    char pattern[64];
    const char *p;
    size_t n = 0;
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    buf[0] = '\0';
    p = json ? strstr(json, pattern) : NULL;
    if (!p) return buf;
    p += strlen(pattern);
    while (p[n] && p[n] != '"' && n + 1 < size) n++;
    memcpy(buf, p, n);
    buf[n] = '\0';
    return buf;
}

static size_t count_char(const char *s, char c) {
    size_t n = 0;
    for (; s && *s; s++)
        if (*s == c) n++;
    return n;
}

static funnel_model *load_text(const char *json) {
    funnel_model *m = NULL;
    funnel_status s = funnel_model_load(json, strlen(json), &m);
    if (s != FUNNEL_OK) {
        fprintf(stderr, "cannot load a test model: %s\n", funnel_last_error());
        return NULL;
    }
    return m;
}

static int str_eq(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

/* A text of `depth` '[' then `depth` ']' (caller frees). */
static char *deep_text(size_t depth, size_t *len) {
    char *s = malloc(2 * depth + 1);
    if (!s) return NULL;
    memset(s, '[', depth);
    memset(s + depth, ']', depth);
    s[2 * depth] = '\0';
    *len = 2 * depth;
    return s;
}

/* ------------------------------------------------------------------------ */
/* Library                                                                   */

static void test_library(void) {
    const char *v = funnel_version();
    char expected[32];
    int major = -1, minor = -1, patch = -1, consumed = 0;
    funnel_status codes[] = {FUNNEL_OK, FUNNEL_E_ARGUMENT, FUNNEL_E_PARSE, FUNNEL_E_INVALID, FUNNEL_E_REFUSED,
                             FUNNEL_E_LIMIT};
    size_t i, j;

    CHECK(v != NULL);
    CHECK(v && sscanf(v, "%d.%d.%d%n", &major, &minor, &patch, &consumed) == 3 && v[consumed] == '\0');
    snprintf(expected, sizeof expected, "%d.%d.%d", FUNNEL_VERSION_MAJOR, FUNNEL_VERSION_MINOR,
             FUNNEL_VERSION_PATCH);
    CHECK_STR(v, expected);
    CHECK(funnel_version() == v); /* static */

    CHECK_STR(funnel_status_str(FUNNEL_OK), "ok");
    CHECK_STR(funnel_status_str(FUNNEL_E_ARGUMENT), "invalid argument");
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const char *s = funnel_status_str(codes[i]);
        CHECK(s != NULL && s[0] != '\0');
        CHECK(s && strcmp(s, "unknown status") != 0);
        for (j = 0; j < i; j++) CHECK(!str_eq(s, funnel_status_str(codes[j])));
    }
    CHECK_STR(funnel_status_str((funnel_status)6), "unknown status");
    CHECK_STR(funnel_status_str((funnel_status)99), "unknown status");
    CHECK_STR(funnel_status_str((funnel_status)-1), "unknown status");

    funnel_string_free(NULL);
    funnel_model_free(NULL);
    funnel_batch_free(NULL);
    CHECK(funnel_batch_lead_count(NULL) == 0);
    CHECK(funnel_last_error() != NULL);
}

/* A thread that has never failed sees "". */
static void *fresh_thread(void *arg) {
    const char *e = funnel_last_error();
    *(int *)arg = (e != NULL && e[0] == '\0');
    return NULL;
}

static void test_last_error_fresh_thread(void) {
    pthread_t t;
    int ok = 0;
    CHECK(pthread_create(&t, NULL, fresh_thread, &ok) == 0);
    pthread_join(t, NULL);
    CHECK(ok);
}

/* ------------------------------------------------------------------------ */
/* Models                                                                    */

static void test_model_load_failures(void) {
    funnel_model *m;
    funnel_model *garbage = (funnel_model *)&m; /* any non-NULL value: must become NULL */
    char *buf;
    size_t len;

    /* NULL pointers */
    m = garbage;
    CHECK_STATUS(funnel_model_load(NULL, 10, &m), FUNNEL_E_ARGUMENT);
    CHECK(m == NULL);
    CHECK(funnel_last_error()[0] != '\0');
    CHECK_STATUS(funnel_model_load(TINY_MODEL, strlen(TINY_MODEL), NULL), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_model_load_default(NULL), FUNNEL_E_ARGUMENT);

    /* lengths */
    m = garbage;
    CHECK_STATUS(funnel_model_load(TINY_MODEL, SIZE_MAX, &m), FUNNEL_E_ARGUMENT);
    CHECK(m == NULL);
    m = garbage;
    CHECK_STATUS(funnel_model_load(TINY_MODEL, (size_t)1 << 63, &m), FUNNEL_E_ARGUMENT);
    CHECK(m == NULL);
    m = garbage;
    CHECK_STATUS(funnel_model_load(TINY_MODEL, 0, &m), FUNNEL_E_PARSE);
    CHECK(m == NULL);
    m = garbage;
    CHECK_STATUS(funnel_model_load(TINY_MODEL, strlen(TINY_MODEL) - 1, &m), FUNNEL_E_PARSE); /* truncated */
    CHECK(m == NULL);

    /* malformed JSON */
    m = garbage;
    CHECK_STATUS(funnel_model_load("{\"format\":", 10, &m), FUNNEL_E_PARSE);
    CHECK(m == NULL);
    CHECK(funnel_last_error()[0] != '\0');
    CHECK_STATUS(funnel_model_load("{} x", 4, &m), FUNNEL_E_PARSE);
    CHECK(m == NULL);

    /* invalid UTF-8: a stray byte, an overlong '/', a surrogate, a truncated sequence */
    {
        static const char *bad[] = {
            "{\"format\":\"funnel.model/1\",\"name\":\"\xff\",\"attributes\":{}}",
            "{\"format\":\"funnel.model/1\",\"name\":\"\xc0\xaf\",\"attributes\":{}}",
            "{\"format\":\"funnel.model/1\",\"name\":\"\xed\xa0\x80\",\"attributes\":{}}",
            "{\"format\":\"funnel.model/1\",\"name\":\"\xe2\x82\",\"attributes\":{}}",
        };
        size_t i;
        for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            m = garbage;
            CHECK_STATUS(funnel_model_load(bad[i], strlen(bad[i]), &m), FUNNEL_E_PARSE);
            CHECK(m == NULL);
        }
    }

    /* NUL bytes inside the text: in a string, and between tokens */
    {
        static const char in_string[] = "{\"format\":\"funnel.model/1\",\"name\":\"a\0b\",\"attributes\":{}}";
        static const char between[] = "{\"format\":\"funnel.model/1\",\0\"attributes\":{}}";
        static const char trailing[] = "{\"format\":\"funnel.model/1\",\"attributes\":{}}\0";
        m = garbage;
        CHECK_STATUS(funnel_model_load(in_string, sizeof in_string - 1, &m), FUNNEL_E_PARSE);
        CHECK(m == NULL);
        m = garbage;
        CHECK_STATUS(funnel_model_load(between, sizeof between - 1, &m), FUNNEL_E_PARSE);
        CHECK(m == NULL);
        m = garbage;
        CHECK_STATUS(funnel_model_load(trailing, sizeof trailing - 1, &m), FUNNEL_E_PARSE);
        CHECK(m == NULL);
    }

    /* 100,000-deep nesting: refused, not a crash */
    buf = deep_text(100000, &len);
    m = garbage;
    CHECK_STATUS2(funnel_model_load(buf, len, &m), FUNNEL_E_PARSE, FUNNEL_E_LIMIT);
    CHECK(m == NULL);
    free(buf);
    {
        /* deep nesting inside a valid-looking model */
        const char *head = "{\"format\":\"funnel.model/1\",\"attributes\":{},\"name\":";
        size_t depth = 100000, hl = strlen(head);
        char *doc = malloc(hl + 2 * depth + 2);
        memcpy(doc, head, hl);
        memset(doc + hl, '[', depth);
        memset(doc + hl + depth, ']', depth);
        doc[hl + 2 * depth] = '}';
        m = garbage;
        CHECK_STATUS2(funnel_model_load(doc, hl + 2 * depth + 1, &m), FUNNEL_E_PARSE, FUNNEL_E_LIMIT);
        CHECK(m == NULL);
        free(doc);
    }

    /* huge numbers */
    {
        static const char huge[] =
            "{\"format\":\"funnel.model/1\",\"attributes\":{\"n\":\"number\"},"
            "\"scoring\":{\"fit\":[{\"id\":\"x\",\"if\":{\"attr\":\"n\",\"gt\":0},\"points\":1e999}]}}";
        static const char huge_neg[] =
            "{\"format\":\"funnel.model/1\",\"attributes\":{\"n\":\"number\"},"
            "\"scoring\":{\"fit\":[{\"id\":\"x\",\"if\":{\"attr\":\"n\",\"gt\":-1e999},\"points\":1}]}}";
        static const char long_digits[] =
            "{\"format\":\"funnel.model/1\",\"attributes\":{\"n\":\"number\"},"
            "\"scoring\":{\"fit\":[{\"id\":\"x\",\"if\":{\"attr\":\"n\",\"gt\":0},\"points\":"
            "1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
            "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
            "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
            "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000}]}}";
        m = garbage;
        CHECK_STATUS2(funnel_model_load(huge, strlen(huge), &m), FUNNEL_E_PARSE, FUNNEL_E_INVALID);
        CHECK(m == NULL);
        CHECK(funnel_last_error()[0] != '\0');
        m = garbage;
        CHECK_STATUS2(funnel_model_load(huge_neg, strlen(huge_neg), &m), FUNNEL_E_PARSE, FUNNEL_E_INVALID);
        CHECK(m == NULL);
        m = garbage; /* 1e381: out of double range too */
        CHECK_STATUS2(funnel_model_load(long_digits, strlen(long_digits), &m), FUNNEL_E_PARSE, FUNNEL_E_INVALID);
        CHECK(m == NULL);
    }

    /* contract faults: FUNNEL_E_INVALID with the JSON path, every fault on its own line */
    {
        static const char wrong_type[] =
            "{\"format\":\"funnel.model/1\",\"attributes\":{\"n\":\"number\"},"
            "\"scoring\":{\"behavior\":[{\"id\":\"a\",\"event\":\"x\",\"points\":1},"
            "{\"id\":\"b\",\"event\":\"y\",\"points\":\"many\"}]}}";
        static const char two_faults[] =
            "{\"format\":\"funnel.model/1\",\"attributes\":{\"n\":\"number\"},"
            "\"criteria\":{\"c\":{\"attr\":\"nope\",\"exists\":true}},"
            "\"scoring\":{\"half_life_days\":0}}";
        static const char bad_format[] = "{\"format\":\"funnel.model/2\",\"attributes\":{}}";
        static const char not_object[] = "[1,2,3]";
        m = garbage;
        CHECK_STATUS(funnel_model_load(wrong_type, strlen(wrong_type), &m), FUNNEL_E_INVALID);
        CHECK(m == NULL);
        CHECK_CONTAINS(funnel_last_error(), "scoring.behavior[1].points");
        m = garbage;
        CHECK_STATUS(funnel_model_load(two_faults, strlen(two_faults), &m), FUNNEL_E_INVALID);
        CHECK(m == NULL);
        CHECK_CONTAINS(funnel_last_error(), "criteria.c");
        CHECK_CONTAINS(funnel_last_error(), "scoring.half_life_days");
        CHECK(count_char(funnel_last_error(), '\n') >= 1);
        m = garbage;
        CHECK_STATUS(funnel_model_load(bad_format, strlen(bad_format), &m), FUNNEL_E_INVALID);
        CHECK(m == NULL);
        CHECK_CONTAINS(funnel_last_error(), "format");
        m = garbage;
        CHECK_STATUS(funnel_model_load(not_object, strlen(not_object), &m), FUNNEL_E_INVALID);
        CHECK(m == NULL);
    }

    /* the library keeps working */
    m = NULL;
    CHECK_STATUS(funnel_model_load(TINY_MODEL, strlen(TINY_MODEL), &m), FUNNEL_OK);
    CHECK(m != NULL);
    funnel_model_free(m);
}

static void test_last_error_kept_after_success(void) {
    funnel_model *m = NULL;
    char saved[512];
    CHECK_STATUS(funnel_model_load("{", 1, &m), FUNNEL_E_PARSE);
    snprintf(saved, sizeof saved, "%s", funnel_last_error());
    CHECK(saved[0] != '\0');
    CHECK_STATUS(funnel_model_load(BARE_MODEL, strlen(BARE_MODEL), &m), FUNNEL_OK);
    /* "the message of this thread's last failure": a success does not change it */
    CHECK_STR(funnel_last_error(), saved);
    funnel_model_free(m);
}

static void test_introspection(void) {
    funnel_model *m = load_text(TINY_MODEL);
    funnel_model *bare = load_text(BARE_MODEL);
    funnel_model *def = NULL;
    size_t i;
    int seen_industry = 0, seen_employees = 0, seen_dm = 0, seen_tags = 0;
    int seen_icp = 0, seen_decider = 0;
    static const char *stages[] = {"new", "qualified", "hot", "deal", "out"};

    CHECK(m != NULL && bare != NULL);
    if (!m || !bare) return;

    /* NULL model */
    CHECK(funnel_model_name(NULL) == NULL);
    CHECK(funnel_model_attribute_count(NULL) == 0);
    CHECK(funnel_model_attribute_name(NULL, 0) == NULL);
    CHECK(funnel_model_attribute_type(NULL, 0) == FUNNEL_ATTR_NONE);
    CHECK(funnel_model_criterion_count(NULL) == 0);
    CHECK(funnel_model_criterion_name(NULL, 0) == NULL);
    CHECK(funnel_model_stage_count(NULL) == 0);
    CHECK(funnel_model_stage_id(NULL, 0) == NULL);
    CHECK(funnel_model_grade_count(NULL) == 0);
    CHECK(funnel_model_grade_name(NULL, 0) == NULL);

    CHECK_STR(funnel_model_name(m), "tiny");
    CHECK(funnel_model_name(bare) == NULL);

    CHECK(funnel_model_attribute_count(m) == 4);
    for (i = 0; i < funnel_model_attribute_count(m); i++) {
        const char *n = funnel_model_attribute_name(m, i);
        funnel_attribute_type t = funnel_model_attribute_type(m, i);
        if (str_eq(n, "industry")) seen_industry += (t == FUNNEL_ATTR_STRING);
        else if (str_eq(n, "employees")) seen_employees += (t == FUNNEL_ATTR_NUMBER);
        else if (str_eq(n, "dm")) seen_dm += (t == FUNNEL_ATTR_BOOL);
        else if (str_eq(n, "tags")) seen_tags += (t == FUNNEL_ATTR_STRINGS);
    }
    CHECK(seen_industry == 1 && seen_employees == 1 && seen_dm == 1 && seen_tags == 1);
    CHECK(funnel_model_attribute_name(m, 4) == NULL);
    CHECK(funnel_model_attribute_name(m, SIZE_MAX) == NULL);
    CHECK(funnel_model_attribute_type(m, 4) == FUNNEL_ATTR_NONE);
    CHECK(funnel_model_attribute_type(m, SIZE_MAX) == FUNNEL_ATTR_NONE);

    CHECK(funnel_model_criterion_count(m) == 2);
    for (i = 0; i < funnel_model_criterion_count(m); i++) {
        const char *n = funnel_model_criterion_name(m, i);
        seen_icp += str_eq(n, "icp");
        seen_decider += str_eq(n, "decider");
    }
    CHECK(seen_icp == 1 && seen_decider == 1);
    CHECK(funnel_model_criterion_name(m, 2) == NULL);
    CHECK(funnel_model_criterion_name(m, SIZE_MAX) == NULL);

    CHECK(funnel_model_stage_count(m) == 5);
    for (i = 0; i < 5; i++) CHECK_STR(funnel_model_stage_id(m, i), stages[i]);
    CHECK(funnel_model_stage_id(m, 5) == NULL);
    CHECK(funnel_model_stage_id(m, SIZE_MAX) == NULL);

    CHECK(funnel_model_grade_count(m) == 2);
    CHECK_STR(funnel_model_grade_name(m, 0), "A");
    CHECK_STR(funnel_model_grade_name(m, 1), "B");
    CHECK(funnel_model_grade_name(m, 2) == NULL);
    CHECK(funnel_model_grade_name(m, SIZE_MAX) == NULL);

    CHECK(funnel_model_attribute_count(bare) == 1);
    CHECK_STR(funnel_model_attribute_name(bare, 0), "n");
    CHECK(funnel_model_attribute_type(bare, 0) == FUNNEL_ATTR_NUMBER);
    CHECK(funnel_model_criterion_count(bare) == 0);
    CHECK(funnel_model_criterion_name(bare, 0) == NULL);
    CHECK(funnel_model_stage_count(bare) == 0);
    CHECK(funnel_model_stage_id(bare, 0) == NULL);
    CHECK(funnel_model_grade_count(bare) == 0);
    CHECK(funnel_model_grade_name(bare, 0) == NULL);

    /* the default model (SPEC §1 / `funnel default-model`) */
    CHECK_STATUS(funnel_model_load_default(&def), FUNNEL_OK);
    CHECK(def != NULL);
    if (def) {
        static const char *grades[] = {"A", "B", "C", "D", "F"};
        CHECK_STR(funnel_model_name(def), "b2b-default");
        CHECK(funnel_model_attribute_count(def) == 11);
        CHECK(funnel_model_criterion_count(def) == 2);
        CHECK(funnel_model_stage_count(def) == 10);
        CHECK_STR(funnel_model_stage_id(def, 0), "names");
        CHECK_STR(funnel_model_stage_id(def, 9), "disqualified");
        CHECK(funnel_model_grade_count(def) == 5);
        for (i = 0; i < 5; i++) CHECK_STR(funnel_model_grade_name(def, i), grades[i]);
        funnel_model_free(def);
    }
    funnel_model_free(m);
    funnel_model_free(bare);
}

/* ------------------------------------------------------------------------ */
/* One lead                                                                  */

static void test_score_json(void) {
    funnel_model *m = load_text(TINY_MODEL);
    char *out = NULL;
    char *garbage = (char *)&out;
    char buf[64];
    if (!m) return;

    CHECK_STATUS(funnel_score_json(m, LEAD_A, strlen(LEAD_A), T, &out), FUNNEL_OK);
    CHECK(out != NULL);
    CHECK_CONTAINS(out, "\"id\":\"A\"");
    CHECK_NEAR(json_number(out, "fit"), 18);
    CHECK_NEAR(json_number(out, "behavior"), 15);
    CHECK_NEAR(json_number(out, "total"), 33);
    CHECK_STR(json_string(out, "grade", buf, sizeof buf), "A");
    CHECK_CONTAINS(out, "\"icp\":true");
    CHECK_CONTAINS(out, "\"decider\":false");
    CHECK_CONTAINS(out, "\"disqualified_by\":[]");
    CHECK_CONTAINS(out, "{\"rule\":\"visit\",\"points\":12}");
    CHECK_CONTAINS(out, "{\"rule\":\"call\",\"points\":3}");
    CHECK_CONTAINS(out, "{\"rule\":\"vip\",\"points\":3}");
    CHECK(out && strstr(out, "\"rule\":\"dm\"") == NULL);
    CHECK(out && strstr(out, "\"rule\":\"unsub\"") == NULL);
    funnel_string_free(out);

    /* one half-life later every event is worth half as much */
    out = NULL;
    CHECK_STATUS(funnel_score_json(m, LEAD_A, strlen(LEAD_A), T + 10 * DAY, &out), FUNNEL_OK);
    /* visits: 8/4 + 8/2 + 8/2 (the one at T+10s, now 10 days minus 10 s old) */
    CHECK_NEAR(json_number(out, "behavior"), HALF_LIFE_LATER_A);
    funnel_string_free(out);

    out = NULL;
    CHECK_STATUS(funnel_score_json(m, LEAD_B, strlen(LEAD_B), T, &out), FUNNEL_OK);
    CHECK_NEAR(json_number(out, "fit"), 4);
    CHECK_NEAR(json_number(out, "behavior"), -1.25);
    CHECK_NEAR(json_number(out, "total"), 2.75);
    CHECK_CONTAINS(out, "\"grade\":null");
    CHECK_CONTAINS(out, "\"disqualified_by\":[\"competitor\"]");
    CHECK_CONTAINS(out, "\"decider\":true");
    CHECK_CONTAINS(out, "\"icp\":false");
    funnel_string_free(out);

    out = NULL;
    CHECK_STATUS(funnel_score_json(m, LEAD_C, strlen(LEAD_C), T, &out), FUNNEL_OK);
    CHECK_NEAR(json_number(out, "fit"), 0);
    CHECK_NEAR(json_number(out, "total"), 0);
    CHECK_CONTAINS(out, "\"grade\":null");
    CHECK_CONTAINS(out, "\"contributions\":[]");
    funnel_string_free(out);

    /* the length bounds the text: a longer buffer is read only up to len */
    {
        char padded[64];
        snprintf(padded, sizeof padded, "%sGARBAGE", LEAD_C);
        out = NULL;
        CHECK_STATUS(funnel_score_json(m, padded, strlen(LEAD_C), T, &out), FUNNEL_OK);
        CHECK_CONTAINS(out, "\"id\":\"C\"");
        funnel_string_free(out);
    }

    /* failures: out is left NULL */
    out = garbage;
    CHECK_STATUS(funnel_score_json(NULL, LEAD_C, strlen(LEAD_C), T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_score_json(m, NULL, 5, T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    CHECK_STATUS(funnel_score_json(m, LEAD_C, strlen(LEAD_C), T, NULL), FUNNEL_E_ARGUMENT);
    out = garbage;
    CHECK_STATUS(funnel_score_json(m, LEAD_C, SIZE_MAX, T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_score_json(m, LEAD_C, strlen(LEAD_C), NAN, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_score_json(m, LEAD_C, strlen(LEAD_C), INFINITY, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_score_json(m, LEAD_C, strlen(LEAD_C), -INFINITY, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_score_json(m, "{\"id\":", 6, T, &out), FUNNEL_E_PARSE);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_score_json(m, "{\"id\":\"\xff\"}", 10, T, &out), FUNNEL_E_PARSE);
    CHECK(out == NULL);
    {
        static const char nul[] = "{\"id\":\"a\0b\"}";
        out = garbage;
        CHECK_STATUS(funnel_score_json(m, nul, sizeof nul - 1, T, &out), FUNNEL_E_PARSE);
        CHECK(out == NULL);
    }
    {
        size_t len;
        char *deep = deep_text(100000, &len);
        out = garbage;
        CHECK_STATUS2(funnel_score_json(m, deep, len, T, &out), FUNNEL_E_PARSE, FUNNEL_E_LIMIT);
        CHECK(out == NULL);
        free(deep);
    }
    {
        static const char huge[] = "{\"id\":\"h\",\"attributes\":{\"employees\":1e999}}";
        out = garbage;
        CHECK_STATUS2(funnel_score_json(m, huge, strlen(huge), T, &out), FUNNEL_E_PARSE, FUNNEL_E_INVALID);
        CHECK(out == NULL);
    }
    {
        static const char no_id[] = "{\"attributes\":{}}";
        static const char empty_id[] = "{\"id\":\"\"}";
        static const char mistyped[] = "{\"id\":\"x\",\"attributes\":{\"employees\":\"many\"}}";
        static const char bad_at[] = "{\"id\":\"x\",\"events\":[{\"type\":\"page.visit\",\"at\":\"yesterday\"}]}";
        out = garbage;
        CHECK_STATUS(funnel_score_json(m, no_id, strlen(no_id), T, &out), FUNNEL_E_INVALID);
        CHECK(out == NULL);
        CHECK_CONTAINS(funnel_last_error(), "id");
        out = garbage;
        CHECK_STATUS(funnel_score_json(m, empty_id, strlen(empty_id), T, &out), FUNNEL_E_INVALID);
        CHECK(out == NULL);
        out = garbage;
        CHECK_STATUS(funnel_score_json(m, mistyped, strlen(mistyped), T, &out), FUNNEL_E_INVALID);
        CHECK(out == NULL);
        CHECK_CONTAINS(funnel_last_error(), "employees");
        out = garbage;
        CHECK_STATUS(funnel_score_json(m, bad_at, strlen(bad_at), T, &out), FUNNEL_E_INVALID);
        CHECK(out == NULL);
        CHECK_CONTAINS(funnel_last_error(), "at");
    }
    /* still working */
    out = NULL;
    CHECK_STATUS(funnel_score_json(m, LEAD_A, strlen(LEAD_A), T, &out), FUNNEL_OK);
    CHECK_NEAR(json_number(out, "total"), 33);
    funnel_string_free(out);
    funnel_model_free(m);
}

static void test_advance_json(void) {
    funnel_model *m = load_text(TINY_MODEL);
    funnel_model *bare = load_text(BARE_MODEL);
    char *out = NULL;
    char *garbage = (char *)&out;
    char buf[64];
    if (!m || !bare) return;

    CHECK_STATUS(funnel_advance_json(m, LEAD_A, strlen(LEAD_A), T, &out), FUNNEL_OK);
    CHECK_STR(out, "{\"id\":\"A\",\"stage\":\"hot\",\"moves\":["
                   "{\"from\":\"new\",\"to\":\"qualified\",\"reason\":null,\"by\":\"auto\"},"
                   "{\"from\":\"qualified\",\"to\":\"hot\",\"reason\":null,\"by\":\"auto\"}]}");
    funnel_string_free(out);

    out = NULL;
    CHECK_STATUS(funnel_advance_json(m, LEAD_B, strlen(LEAD_B), T, &out), FUNNEL_OK);
    CHECK_STR(json_string(out, "stage", buf, sizeof buf), "out");
    CHECK_CONTAINS(out, "{\"from\":\"new\",\"to\":\"out\",\"reason\":\"competitor\",\"by\":\"auto\"}");
    funnel_string_free(out);

    out = NULL;
    CHECK_STATUS(funnel_advance_json(m, LEAD_C, strlen(LEAD_C), T, &out), FUNNEL_OK);
    CHECK_STR(out, "{\"id\":\"C\",\"stage\":\"new\",\"moves\":[]}");
    funnel_string_free(out);

    {
        static const char staged[] = "{\"id\":\"S\",\"stage\":\"deal\"}";
        static const char unknown[] = "{\"id\":\"U\",\"stage\":\"bogus\"}";
        out = NULL;
        CHECK_STATUS(funnel_advance_json(m, staged, strlen(staged), T, &out), FUNNEL_OK);
        CHECK_STR(out, "{\"id\":\"S\",\"stage\":\"deal\",\"moves\":[]}");
        funnel_string_free(out);
        out = garbage;
        CHECK_STATUS(funnel_advance_json(m, unknown, strlen(unknown), T, &out), FUNNEL_E_INVALID);
        CHECK(out == NULL);
        CHECK_CONTAINS(funnel_last_error(), "bogus");
    }
    out = garbage;
    CHECK_STATUS(funnel_advance_json(bare, LEAD_C, strlen(LEAD_C), T, &out), FUNNEL_E_INVALID);
    CHECK(out == NULL);

    out = garbage;
    CHECK_STATUS(funnel_advance_json(NULL, LEAD_C, strlen(LEAD_C), T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_advance_json(m, NULL, 3, T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    CHECK_STATUS(funnel_advance_json(m, LEAD_C, strlen(LEAD_C), T, NULL), FUNNEL_E_ARGUMENT);
    out = garbage;
    CHECK_STATUS(funnel_advance_json(m, LEAD_C, SIZE_MAX, T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_advance_json(m, LEAD_C, strlen(LEAD_C), NAN, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_advance_json(m, LEAD_C, strlen(LEAD_C), INFINITY, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_advance_json(m, "{\"id\":\"\xc3\"}", 10, T, &out), FUNNEL_E_PARSE);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_advance_json(m, "nope", 4, T, &out), FUNNEL_E_PARSE);
    CHECK(out == NULL);
    {
        size_t len;
        char *deep = deep_text(100000, &len);
        out = garbage;
        CHECK_STATUS2(funnel_advance_json(m, deep, len, T, &out), FUNNEL_E_PARSE, FUNNEL_E_LIMIT);
        CHECK(out == NULL);
        free(deep);
    }
    funnel_model_free(m);
    funnel_model_free(bare);
}

static void test_move_json(void) {
    funnel_model *m = load_text(TINY_MODEL);
    funnel_model *bare = load_text(BARE_MODEL);
    char *out = NULL;
    char *garbage = (char *)&out;
    static const char hot_no_dm[] =
        "{\"id\":\"H\",\"stage\":\"hot\",\"attributes\":{\"industry\":\"software\",\"employees\":120,\"dm\":false}}";
    static const char hot_dm[] =
        "{\"id\":\"H\",\"stage\":\"hot\",\"attributes\":{\"industry\":\"software\",\"employees\":120,\"dm\":true}}";
    static const char fresh[] = "{\"id\":\"N\"}";
    static const char won[] = "{\"id\":\"W\",\"stage\":\"out\"}";
    if (!m || !bare) return;

    /* allowed */
    CHECK_STATUS(funnel_move_json(m, hot_dm, strlen(hot_dm), "deal", NULL, "maria", T, &out), FUNNEL_OK);
    CHECK_STR(out, "{\"id\":\"H\",\"stage\":\"deal\",\"moves\":[{\"from\":\"hot\",\"to\":\"deal\",\"reason\":null,\"by\":\"maria\"}]}");
    funnel_string_free(out);
    out = NULL;
    CHECK_STATUS(funnel_move_json(m, fresh, strlen(fresh), "qualified", NULL, NULL, T, &out), FUNNEL_OK);
    CHECK_STR(out, "{\"id\":\"N\",\"stage\":\"qualified\",\"moves\":[{\"from\":\"new\",\"to\":\"qualified\",\"reason\":null,\"by\":\"api\"}]}");
    funnel_string_free(out);
    out = NULL;
    CHECK_STATUS(funnel_move_json(m, fresh, strlen(fresh), "out", "bad_data", "ops", T, &out), FUNNEL_OK);
    CHECK_STR(out, "{\"id\":\"N\",\"stage\":\"out\",\"moves\":[{\"from\":\"new\",\"to\":\"out\",\"reason\":\"bad_data\",\"by\":\"ops\"}]}");
    funnel_string_free(out);

    /* refused: requires unmet (lists the unmet part only) */
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, hot_no_dm, strlen(hot_no_dm), "deal", NULL, "maria", T, &out), FUNNEL_E_REFUSED);
    CHECK(out == NULL);
    CHECK(strstr(funnel_last_error(), "decider") != NULL || strstr(funnel_last_error(), "dm") != NULL);
    CHECK(strstr(funnel_last_error(), "employees") == NULL);
    /* refused: unknown stage */
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, fresh, strlen(fresh), "nowhere", NULL, NULL, T, &out), FUNNEL_E_REFUSED);
    CHECK(out == NULL);
    CHECK_CONTAINS(funnel_last_error(), "nowhere");
    /* refused: no transition */
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, fresh, strlen(fresh), "hot", NULL, NULL, T, &out), FUNNEL_E_REFUSED);
    CHECK(out == NULL);
    CHECK_CONTAINS(funnel_last_error(), "hot");
    /* refused: an outcome stage has no way out */
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, won, strlen(won), "new", NULL, NULL, T, &out), FUNNEL_E_REFUSED);
    CHECK(out == NULL);
    /* refused: reason missing, reason not in the list */
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, fresh, strlen(fresh), "out", NULL, NULL, T, &out), FUNNEL_E_REFUSED);
    CHECK(out == NULL);
    CHECK_CONTAINS(funnel_last_error(), "reason");
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, fresh, strlen(fresh), "out", "price", NULL, T, &out), FUNNEL_E_REFUSED);
    CHECK(out == NULL);
    CHECK_CONTAINS(funnel_last_error(), "price");

    /* arguments */
    out = garbage;
    CHECK_STATUS(funnel_move_json(NULL, fresh, strlen(fresh), "qualified", NULL, NULL, T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, NULL, 4, "qualified", NULL, NULL, T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, fresh, strlen(fresh), NULL, NULL, NULL, T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    CHECK_STATUS(funnel_move_json(m, fresh, strlen(fresh), "qualified", NULL, NULL, T, NULL), FUNNEL_E_ARGUMENT);
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, fresh, SIZE_MAX, "qualified", NULL, NULL, T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, fresh, strlen(fresh), "qualified", NULL, NULL, NAN, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, fresh, strlen(fresh), "qualified", NULL, NULL, -INFINITY, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    /* invalid UTF-8 in the NUL-terminated names: FUNNEL_E_PARSE (SPEC §8), naming the argument */
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, fresh, strlen(fresh), "qualified\xff", NULL, NULL, T, &out), FUNNEL_E_PARSE);
    CHECK_CONTAINS(funnel_last_error(), "funnel_move_json: to is not valid UTF-8");
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, fresh, strlen(fresh), "out", "bad_data\xff", NULL, T, &out), FUNNEL_E_PARSE);
    CHECK_CONTAINS(funnel_last_error(), "reason is not valid UTF-8");
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, fresh, strlen(fresh), "qualified", NULL, "\xc0\xaf", T, &out), FUNNEL_E_PARSE);
    CHECK_CONTAINS(funnel_last_error(), "by is not valid UTF-8");
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, fresh, strlen(fresh), "qualified", "\xed\xa0\x80", NULL, T, &out), FUNNEL_E_PARSE);
    CHECK(out == NULL);
    /* bad documents */
    out = garbage;
    CHECK_STATUS(funnel_move_json(m, "{\"id\"", 5, "qualified", NULL, NULL, T, &out), FUNNEL_E_PARSE);
    CHECK(out == NULL);
    {
        static const char unknown[] = "{\"id\":\"U\",\"stage\":\"bogus\"}";
        out = garbage;
        CHECK_STATUS(funnel_move_json(m, unknown, strlen(unknown), "qualified", NULL, NULL, T, &out), FUNNEL_E_INVALID);
        CHECK(out == NULL);
        CHECK_CONTAINS(funnel_last_error(), "bogus");
    }
    out = garbage;
    CHECK(funnel_move_json(bare, fresh, strlen(fresh), "qualified", NULL, NULL, T, &out) != FUNNEL_OK);
    CHECK(out == NULL);
    funnel_model_free(m);
    funnel_model_free(bare);
}

/* ------------------------------------------------------------------------ */
/* JSON Lines                                                                */

static void test_jsonl(void) {
    funnel_model *m = load_text(TINY_MODEL);
    char *out = NULL;
    char *garbage = (char *)&out;
    char text[4096];
    char buf[64];
    const char *line2, *line3;
    size_t len;
    if (!m) return;

    len = (size_t)snprintf(text, sizeof text, "%s\n\n%s\r\n%s", LEAD_A, LEAD_B, LEAD_C); /* blank line, CRLF, no final newline */
    CHECK_STATUS(funnel_score_jsonl(m, text, len, T, &out), FUNNEL_OK);
    CHECK(count_char(out, '\n') == 3);
    CHECK(out && out[0] && out[strlen(out) - 1] == '\n');
    CHECK(out && strncmp(out, "{\"id\":\"A\"", 9) == 0);
    CHECK_NEAR(json_number(out, "total"), 33);
    line2 = out ? strchr(out, '\n') + 1 : NULL;
    CHECK(line2 && strncmp(line2, "{\"id\":\"B\"", 9) == 0);
    CHECK_NEAR(json_number(line2, "total"), 2.75);
    line3 = line2 ? strchr(line2, '\n') + 1 : NULL;
    CHECK(line3 && strncmp(line3, "{\"id\":\"C\"", 9) == 0);
    {
        /* each line equals funnel_score_json of the lead */
        char *one = NULL;
        CHECK_STATUS(funnel_score_json(m, LEAD_B, strlen(LEAD_B), T, &one), FUNNEL_OK);
        CHECK(one && line2 && strncmp(line2, one, strlen(one)) == 0 && line2[strlen(one)] == '\n');
        funnel_string_free(one);
    }
    funnel_string_free(out);

    out = NULL;
    CHECK_STATUS(funnel_advance_jsonl(m, text, len, T, &out), FUNNEL_OK);
    CHECK(count_char(out, '\n') == 3);
    CHECK(out && strncmp(out, "{\"id\":\"A\",\"stage\":\"hot\"", 23) == 0);
    line2 = out ? strchr(out, '\n') + 1 : NULL;
    CHECK_STR(json_string(line2, "stage", buf, sizeof buf), "out");
    funnel_string_free(out);

    /* empty input: no lines */
    out = NULL;
    CHECK_STATUS(funnel_score_jsonl(m, "\n\n", 2, T, &out), FUNNEL_OK);
    CHECK_STR(out, "");
    funnel_string_free(out);
    out = NULL;
    CHECK_STATUS(funnel_advance_jsonl(m, "", 0, T, &out), FUNNEL_OK);
    CHECK_STR(out, "");
    funnel_string_free(out);

    /* a bad line fails the whole call, naming the line */
    len = (size_t)snprintf(text, sizeof text, "%s\n{\"id\":\"bad\",\"attributes\":{\"employees\":\"x\"}}\n%s\n", LEAD_A, LEAD_C);
    out = garbage;
    CHECK_STATUS(funnel_score_jsonl(m, text, len, T, &out), FUNNEL_E_INVALID);
    CHECK(out == NULL);
    CHECK_CONTAINS(funnel_last_error(), "line 2");
    CHECK_CONTAINS(funnel_last_error(), "employees");
    out = garbage;
    CHECK_STATUS(funnel_advance_jsonl(m, text, len, T, &out), FUNNEL_E_INVALID);
    CHECK(out == NULL);
    CHECK_CONTAINS(funnel_last_error(), "line 2");
    len = (size_t)snprintf(text, sizeof text, "%s\n%s\n{\"id\":\n", LEAD_A, LEAD_C);
    out = garbage;
    CHECK_STATUS(funnel_score_jsonl(m, text, len, T, &out), FUNNEL_E_PARSE);
    CHECK(out == NULL);
    CHECK_CONTAINS(funnel_last_error(), "line 3");
    out = garbage;
    CHECK_STATUS(funnel_advance_jsonl(m, text, len, T, &out), FUNNEL_E_PARSE);
    CHECK(out == NULL);
    {
        static const char utf[] = "{\"id\":\"ok\"}\n{\"id\":\"\xfe\"}\n";
        static const char nul[] = "{\"id\":\"ok\"}\n{\"id\":\"a\0\"}\n";
        static const char stage[] = "{\"id\":\"ok\"}\n{\"id\":\"s\",\"stage\":\"bogus\"}\n";
        out = garbage;
        CHECK_STATUS(funnel_score_jsonl(m, utf, sizeof utf - 1, T, &out), FUNNEL_E_PARSE);
        CHECK(out == NULL);
        out = garbage;
        CHECK_STATUS(funnel_score_jsonl(m, nul, sizeof nul - 1, T, &out), FUNNEL_E_PARSE);
        CHECK(out == NULL);
        out = garbage;
        CHECK_STATUS(funnel_advance_jsonl(m, stage, sizeof stage - 1, T, &out), FUNNEL_E_INVALID);
        CHECK(out == NULL);
        CHECK_CONTAINS(funnel_last_error(), "bogus");
    }
    {
        size_t dl;
        char *deep = deep_text(100000, &dl);
        out = garbage;
        CHECK_STATUS2(funnel_score_jsonl(m, deep, dl, T, &out), FUNNEL_E_PARSE, FUNNEL_E_LIMIT);
        CHECK(out == NULL);
        out = garbage;
        CHECK_STATUS2(funnel_advance_jsonl(m, deep, dl, T, &out), FUNNEL_E_PARSE, FUNNEL_E_LIMIT);
        CHECK(out == NULL);
        free(deep);
    }

    /* arguments */
    out = garbage;
    CHECK_STATUS(funnel_score_jsonl(NULL, LEAD_C, strlen(LEAD_C), T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_score_jsonl(m, NULL, 5, T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    CHECK_STATUS(funnel_score_jsonl(m, LEAD_C, strlen(LEAD_C), T, NULL), FUNNEL_E_ARGUMENT);
    out = garbage;
    CHECK_STATUS(funnel_score_jsonl(m, LEAD_C, SIZE_MAX, T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_score_jsonl(m, LEAD_C, strlen(LEAD_C), NAN, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_advance_jsonl(NULL, LEAD_C, strlen(LEAD_C), T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_advance_jsonl(m, NULL, 5, T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    CHECK_STATUS(funnel_advance_jsonl(m, LEAD_C, strlen(LEAD_C), T, NULL), FUNNEL_E_ARGUMENT);
    out = garbage;
    CHECK_STATUS(funnel_advance_jsonl(m, LEAD_C, SIZE_MAX, T, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    out = garbage;
    CHECK_STATUS(funnel_advance_jsonl(m, LEAD_C, strlen(LEAD_C), INFINITY, &out), FUNNEL_E_ARGUMENT);
    CHECK(out == NULL);
    funnel_model_free(m);
}

/* ------------------------------------------------------------------------ */
/* Columns                                                                   */

/* Leads A, B, C (above) as columns. */
static const char *const INDUSTRIES[] = {" Software ", "retail"};
static const int32_t INDUSTRY_IDS[] = {0, 1, -1};
static const double EMPLOYEES[] = {120, 10, NAN};
static const int8_t DMS[] = {0, 1, -1};
static const char *const TAGS[] = {"vip", "competitor"};
static const int64_t TAG_OFFSETS[] = {0, 1, 2, 2};
static const int32_t TAG_MEMBERS[] = {0, 1};
static const uint8_t TAG_PRESENT[] = {1, 1, 0};
static const char *const EVENT_TYPES[] = {"page.visit", "call.completed", "email.unsubscribe"};
/* listed out of lead order on purpose */
static const uint32_t EVENT_LEAD[] = {0, 1, 0, 0, 0, 0, 0};
static const int32_t EVENT_TYPE[] = {0, 2, 0, 1, 1, 0, 0};
static const double EVENT_AT[] = {999136000, 998272000, 1000000000, 999136000, 1000000000, 991273600, 1000000010};
static const double EVENT_MINUTES[] = {NAN, NAN, NAN, 25, 5, NAN, NAN};

static funnel_status fill_abc(funnel_batch *b) {
    funnel_status s;
    if ((s = funnel_batch_set_strings(b, "industry", INDUSTRIES, 2, INDUSTRY_IDS, 3)) != FUNNEL_OK) return s;
    if ((s = funnel_batch_set_numbers(b, "employees", EMPLOYEES, 3)) != FUNNEL_OK) return s;
    if ((s = funnel_batch_set_bools(b, "dm", DMS, 3)) != FUNNEL_OK) return s;
    if ((s = funnel_batch_set_string_sets(b, "tags", TAGS, 2, TAG_OFFSETS, TAG_MEMBERS, 2, TAG_PRESENT, 3)) != FUNNEL_OK)
        return s;
    return funnel_batch_set_events(b, EVENT_TYPES, 3, EVENT_LEAD, EVENT_TYPE, EVENT_AT, 7, "minutes", EVENT_MINUTES);
}

static void test_batch_values(void) {
    funnel_model *m = load_text(TINY_MODEL);
    funnel_batch *b = NULL;
    double fit[3], behavior[3], total[3];
    int32_t grade[3];
    unsigned threads[] = {0, 1, 2, 1000};
    size_t i;
    if (!m) return;

    CHECK_STATUS(funnel_batch_new(m, 3, &b), FUNNEL_OK);
    CHECK(b != NULL);
    if (!b) { funnel_model_free(m); return; }
    CHECK(funnel_batch_lead_count(b) == 3);

    /* nothing set: every attribute missing, no events */
    CHECK_STATUS(funnel_batch_score(b, T, fit, behavior, total, grade, 3), FUNNEL_OK);
    for (i = 0; i < 3; i++) {
        CHECK(fit[i] == 0 && behavior[i] == 0 && total[i] == 0 && grade[i] == -1);
    }

    CHECK_STATUS(fill_abc(b), FUNNEL_OK);
    CHECK_STATUS(funnel_batch_score(b, T, fit, behavior, total, grade, 3), FUNNEL_OK);
    CHECK_NEAR(fit[0], 18);
    CHECK_NEAR(behavior[0], 15);
    CHECK_NEAR(total[0], 33);
    CHECK(grade[0] == 0);
    CHECK_NEAR(fit[1], 4);
    CHECK_NEAR(behavior[1], -1.25);
    CHECK_NEAR(total[1], 2.75);
    CHECK(grade[1] == -1);
    CHECK_NEAR(fit[2], 0);
    CHECK_NEAR(behavior[2], 0);
    CHECK(grade[2] == -1);

    /* the same batch at another instant: one half-life later */
    CHECK_STATUS(funnel_batch_score(b, T + 10 * DAY, NULL, behavior, NULL, NULL, 3), FUNNEL_OK);
    CHECK_NEAR(behavior[0], HALF_LIFE_LATER_A);
    CHECK_NEAR(behavior[1], -0.625);

    /* every thread count gives the same numbers */
    for (i = 0; i < sizeof threads / sizeof threads[0]; i++) {
        double f2[3] = {-1, -1, -1}, b2[3] = {-1, -1, -1}, t2[3] = {-1, -1, -1};
        int32_t g2[3] = {7, 7, 7};
        CHECK_STATUS(funnel_batch_score_threads(b, T, f2, b2, t2, g2, 3, threads[i]), FUNNEL_OK);
        CHECK(f2[0] == fit[0] && f2[1] == fit[1] && f2[2] == fit[2]);
        CHECK(t2[0] == total[0] && t2[1] == total[1] && t2[2] == total[2]);
        CHECK(g2[0] == 0 && g2[1] == -1 && g2[2] == -1);
    }
    /* all outputs NULL: nothing to do, still OK */
    CHECK_STATUS(funnel_batch_score(b, T, NULL, NULL, NULL, NULL, 3), FUNNEL_OK);
    CHECK_STATUS(funnel_batch_score_threads(b, T, NULL, NULL, NULL, NULL, 3, 2), FUNNEL_OK);

    /* setting a column again replaces it */
    {
        static const double small[] = {10, 10, 10};
        static const int8_t yes[] = {1, 1, 1};
        CHECK_STATUS(funnel_batch_set_numbers(b, "employees", small, 3), FUNNEL_OK);
        CHECK_STATUS(funnel_batch_set_bools(b, "dm", yes, 3), FUNNEL_OK);
        CHECK_STATUS(funnel_batch_score(b, T, fit, NULL, NULL, grade, 3), FUNNEL_OK);
        CHECK_NEAR(fit[0], 10 + 4 + 3);
        CHECK_NEAR(fit[1], 4);
        CHECK_NEAR(fit[2], 4);
        CHECK(grade[0] == 0 && grade[1] == -1 && grade[2] == -1);
        /* events replaced: none */
        CHECK_STATUS(funnel_batch_set_events(b, EVENT_TYPES, 3, EVENT_LEAD, EVENT_TYPE, EVENT_AT, 0, NULL, NULL), FUNNEL_OK);
        CHECK_STATUS(funnel_batch_score(b, T, NULL, behavior, NULL, NULL, 3), FUNNEL_OK);
        CHECK(behavior[0] == 0 && behavior[1] == 0 && behavior[2] == 0);
        /* events without the property: the long call no longer matches */
        CHECK_STATUS(funnel_batch_set_events(b, EVENT_TYPES, 3, EVENT_LEAD, EVENT_TYPE, EVENT_AT, 7, NULL, NULL), FUNNEL_OK);
        CHECK_STATUS(funnel_batch_score(b, T, NULL, behavior, NULL, NULL, 3), FUNNEL_OK);
        CHECK_NEAR(behavior[0], 12);
        CHECK_NEAR(behavior[1], -1.25);
    }
    /* every lead has the set (present NULL); empty sets */
    {
        static const int64_t offsets[] = {0, 0, 1, 1};
        static const int32_t members[] = {0};
        CHECK_STATUS(funnel_batch_set_string_sets(b, "tags", TAGS, 2, offsets, members, 1, NULL, 3), FUNNEL_OK);
        CHECK_STATUS(funnel_batch_score(b, T, fit, NULL, NULL, NULL, 3), FUNNEL_OK);
        CHECK_NEAR(fit[0], 10 + 4);
        CHECK_NEAR(fit[1], 4 + 3);
        CHECK_NEAR(fit[2], 4);
    }
    funnel_batch_free(b);

    /* a batch outlives its model */
    {
        funnel_model *m2 = load_text(TINY_MODEL);
        funnel_batch *b2 = NULL;
        CHECK_STATUS(funnel_batch_new(m2, 3, &b2), FUNNEL_OK);
        CHECK_STATUS(fill_abc(b2), FUNNEL_OK);
        funnel_model_free(m2);
        CHECK_STATUS(funnel_batch_score(b2, T, fit, behavior, total, grade, 3), FUNNEL_OK);
        CHECK_NEAR(total[0], 33);
        CHECK_NEAR(total[1], 2.75);
        CHECK(grade[0] == 0);
        funnel_batch_free(b2);
    }

    /* an empty batch */
    {
        funnel_batch *e = NULL;
        double one = -1;
        CHECK_STATUS(funnel_batch_new(m, 0, &e), FUNNEL_OK);
        CHECK(e != NULL);
        CHECK(funnel_batch_lead_count(e) == 0);
        CHECK_STATUS(funnel_batch_score(e, T, &one, NULL, NULL, NULL, 0), FUNNEL_OK);
        CHECK(one == -1);
        funnel_batch_free(e);
    }
    funnel_model_free(m);
}

static void test_batch_failures(void) {
    funnel_model *m = load_text(TINY_MODEL);
    funnel_batch *b = NULL;
    funnel_batch *garbage = (funnel_batch *)&b;
    double fit[3] = {-7, -7, -7};
    int32_t grade[3] = {9, 9, 9};
    if (!m) return;

    /* funnel_batch_new */
    b = garbage;
    CHECK_STATUS(funnel_batch_new(NULL, 3, &b), FUNNEL_E_ARGUMENT);
    CHECK(b == NULL);
    CHECK_STATUS(funnel_batch_new(m, 3, NULL), FUNNEL_E_ARGUMENT);
    b = garbage;
    CHECK_STATUS2(funnel_batch_new(m, (size_t)1 << 31, &b), FUNNEL_E_ARGUMENT, FUNNEL_E_LIMIT);
    CHECK(b == NULL);
    b = garbage;
    CHECK_STATUS2(funnel_batch_new(m, SIZE_MAX, &b), FUNNEL_E_ARGUMENT, FUNNEL_E_LIMIT);
    CHECK(b == NULL);

    CHECK_STATUS(funnel_batch_new(m, 3, &b), FUNNEL_OK);
    if (!b) { funnel_model_free(m); return; }
    CHECK_STATUS(fill_abc(b), FUNNEL_OK);

    /* numbers */
    {
        double inf[] = {1, INFINITY, 3};
        double ninf[] = {1, 2, -INFINITY};
        CHECK_STATUS(funnel_batch_set_numbers(NULL, "employees", EMPLOYEES, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_numbers(b, NULL, EMPLOYEES, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_numbers(b, "employees", NULL, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_numbers(b, "employees", EMPLOYEES, 2), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_numbers(b, "employees", EMPLOYEES, 4), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_numbers(b, "employees", inf, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_numbers(b, "employees", ninf, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_numbers(b, "headcount", EMPLOYEES, 3), FUNNEL_E_ARGUMENT);
        CHECK_CONTAINS(funnel_last_error(), "headcount");
        CHECK_STATUS(funnel_batch_set_numbers(b, "industry", EMPLOYEES, 3), FUNNEL_E_ARGUMENT); /* a string attribute */
        CHECK_STATUS(funnel_batch_set_numbers(b, "employees\xff", EMPLOYEES, 3), FUNNEL_E_PARSE);
        CHECK_CONTAINS(funnel_last_error(), "funnel_batch_set_numbers: attribute is not valid UTF-8");
    }
    /* bools */
    {
        int8_t two[] = {0, 2, 1};
        int8_t minus_two[] = {-2, 0, 1};
        int8_t big[] = {0, 0, 127};
        CHECK_STATUS(funnel_batch_set_bools(NULL, "dm", DMS, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_bools(b, NULL, DMS, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_bools(b, "dm", NULL, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_bools(b, "dm", DMS, 2), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_bools(b, "dm", two, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_bools(b, "dm", minus_two, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_bools(b, "dm", big, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_bools(b, "decision_maker", DMS, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_bools(b, "employees", DMS, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_bools(b, "dm\xc3", DMS, 3), FUNNEL_E_PARSE);
        CHECK_CONTAINS(funnel_last_error(), "attribute is not valid UTF-8");
    }
    /* strings */
    {
        int32_t too_big[] = {0, 2, -1};
        int32_t too_small[] = {0, -2, 1};
        const char *with_null[] = {"a", NULL};
        const char *bad_utf8[] = {"a", "\xff\xfe"};
        int32_t ids[] = {0, 1, 1};
        CHECK_STATUS(funnel_batch_set_strings(NULL, "industry", INDUSTRIES, 2, INDUSTRY_IDS, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_strings(b, NULL, INDUSTRIES, 2, INDUSTRY_IDS, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_strings(b, "industry", NULL, 2, INDUSTRY_IDS, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_strings(b, "industry", INDUSTRIES, 2, NULL, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_strings(b, "industry", INDUSTRIES, 2, INDUSTRY_IDS, 2), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_strings(b, "industry", INDUSTRIES, 2, too_big, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_strings(b, "industry", INDUSTRIES, 2, too_small, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_strings(b, "industry", INDUSTRIES, 0, INDUSTRY_IDS, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_strings(b, "industry", with_null, 2, ids, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_strings(b, "industry", bad_utf8, 2, ids, 3), FUNNEL_E_PARSE);
        CHECK_CONTAINS(funnel_last_error(), "dictionary[1] is not valid UTF-8");
        CHECK_STATUS(funnel_batch_set_strings(b, "industry\xff", INDUSTRIES, 2, INDUSTRY_IDS, 3), FUNNEL_E_PARSE);
        CHECK_CONTAINS(funnel_last_error(), "attribute is not valid UTF-8");
        CHECK_STATUS(funnel_batch_set_strings(b, "sector", INDUSTRIES, 2, INDUSTRY_IDS, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_strings(b, "tags", INDUSTRIES, 2, INDUSTRY_IDS, 3), FUNNEL_E_ARGUMENT);
    }
    /* string sets */
    {
        int64_t not_zero[] = {1, 1, 2, 2};
        int64_t decreasing[] = {0, 2, 1, 2};
        int64_t short_end[] = {0, 1, 1, 1};
        int64_t past_end[] = {0, 1, 2, 3};
        int32_t bad_member[] = {0, 2};
        int32_t neg_member[] = {-1, 0};
        const char *with_null[] = {"vip", NULL};
        CHECK_STATUS(funnel_batch_set_string_sets(NULL, "tags", TAGS, 2, TAG_OFFSETS, TAG_MEMBERS, 2, TAG_PRESENT, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_string_sets(b, NULL, TAGS, 2, TAG_OFFSETS, TAG_MEMBERS, 2, TAG_PRESENT, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_string_sets(b, "tags", NULL, 2, TAG_OFFSETS, TAG_MEMBERS, 2, TAG_PRESENT, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_string_sets(b, "tags", TAGS, 2, NULL, TAG_MEMBERS, 2, TAG_PRESENT, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_string_sets(b, "tags", TAGS, 2, TAG_OFFSETS, NULL, 2, TAG_PRESENT, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_string_sets(b, "tags", TAGS, 2, TAG_OFFSETS, TAG_MEMBERS, 2, TAG_PRESENT, 2), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_string_sets(b, "tags", TAGS, 2, not_zero, TAG_MEMBERS, 2, TAG_PRESENT, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_string_sets(b, "tags", TAGS, 2, decreasing, TAG_MEMBERS, 2, TAG_PRESENT, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_string_sets(b, "tags", TAGS, 2, short_end, TAG_MEMBERS, 2, TAG_PRESENT, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_string_sets(b, "tags", TAGS, 2, past_end, TAG_MEMBERS, 2, TAG_PRESENT, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_string_sets(b, "tags", TAGS, 2, TAG_OFFSETS, bad_member, 2, TAG_PRESENT, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_string_sets(b, "tags", TAGS, 2, TAG_OFFSETS, neg_member, 2, TAG_PRESENT, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_string_sets(b, "tags", with_null, 2, TAG_OFFSETS, TAG_MEMBERS, 2, TAG_PRESENT, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_string_sets(b, "labels", TAGS, 2, TAG_OFFSETS, TAG_MEMBERS, 2, TAG_PRESENT, 3), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_string_sets(b, "industry", TAGS, 2, TAG_OFFSETS, TAG_MEMBERS, 2, TAG_PRESENT, 3), FUNNEL_E_ARGUMENT);
        {
            const char *bad_utf8[] = {"vip", "\xe2\x82"};
            CHECK_STATUS(funnel_batch_set_string_sets(b, "tags", bad_utf8, 2, TAG_OFFSETS, TAG_MEMBERS, 2, TAG_PRESENT, 3), FUNNEL_E_PARSE);
            CHECK_CONTAINS(funnel_last_error(), "dictionary[1] is not valid UTF-8");
            CHECK_STATUS(funnel_batch_set_string_sets(b, "tags\xff", TAGS, 2, TAG_OFFSETS, TAG_MEMBERS, 2, TAG_PRESENT, 3), FUNNEL_E_PARSE);
            CHECK_CONTAINS(funnel_last_error(), "attribute is not valid UTF-8");
        }
    }
    /* events */
    {
        uint32_t lead_out[] = {0, 1, 0, 0, 0, 0, 3};
        int32_t type_out[] = {0, 2, 0, 1, 1, 0, 3};
        int32_t type_neg[] = {0, 2, 0, 1, 1, 0, -1};
        double at_nan[] = {999136000, 998272000, 1000000000, 999136000, 1000000000, 991273600, NAN};
        double at_inf[] = {999136000, 998272000, INFINITY, 999136000, 1000000000, 991273600, 1000000010};
        const char *types_null[] = {"page.visit", NULL, "email.unsubscribe"};
        CHECK_STATUS(funnel_batch_set_events(NULL, EVENT_TYPES, 3, EVENT_LEAD, EVENT_TYPE, EVENT_AT, 7, NULL, NULL), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_events(b, NULL, 3, EVENT_LEAD, EVENT_TYPE, EVENT_AT, 7, NULL, NULL), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_events(b, EVENT_TYPES, 3, NULL, EVENT_TYPE, EVENT_AT, 7, NULL, NULL), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_events(b, EVENT_TYPES, 3, EVENT_LEAD, NULL, EVENT_AT, 7, NULL, NULL), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_events(b, EVENT_TYPES, 3, EVENT_LEAD, EVENT_TYPE, NULL, 7, NULL, NULL), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_events(b, EVENT_TYPES, 3, EVENT_LEAD, EVENT_TYPE, EVENT_AT, 7, "minutes", NULL), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_events(b, EVENT_TYPES, 3, lead_out, EVENT_TYPE, EVENT_AT, 7, NULL, NULL), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_events(b, EVENT_TYPES, 3, EVENT_LEAD, type_out, EVENT_AT, 7, NULL, NULL), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_events(b, EVENT_TYPES, 3, EVENT_LEAD, type_neg, EVENT_AT, 7, NULL, NULL), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_events(b, EVENT_TYPES, 2, EVENT_LEAD, EVENT_TYPE, EVENT_AT, 7, NULL, NULL), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_events(b, EVENT_TYPES, 3, EVENT_LEAD, EVENT_TYPE, at_nan, 7, NULL, NULL), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_events(b, EVENT_TYPES, 3, EVENT_LEAD, EVENT_TYPE, at_inf, 7, NULL, NULL), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_batch_set_events(b, types_null, 3, EVENT_LEAD, EVENT_TYPE, EVENT_AT, 7, NULL, NULL), FUNNEL_E_ARGUMENT);
        {
            const char *types_bad[] = {"page.visit", "call.completed", "email.\xff"};
            CHECK_STATUS(funnel_batch_set_events(b, types_bad, 3, EVENT_LEAD, EVENT_TYPE, EVENT_AT, 7, NULL, NULL), FUNNEL_E_PARSE);
            CHECK_CONTAINS(funnel_last_error(), "event_types[2] is not valid UTF-8");
            CHECK_STATUS(funnel_batch_set_events(b, EVENT_TYPES, 3, EVENT_LEAD, EVENT_TYPE, EVENT_AT, 7, "min\xfftes", EVENT_MINUTES), FUNNEL_E_PARSE);
            CHECK_CONTAINS(funnel_last_error(), "property is not valid UTF-8");
        }
    }
    /* score: caller's arrays untouched on failure */
    CHECK_STATUS(funnel_batch_score(NULL, T, fit, NULL, NULL, grade, 3), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_score(b, T, fit, NULL, NULL, grade, 2), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_score(b, T, fit, NULL, NULL, grade, 4), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_score(b, NAN, fit, NULL, NULL, grade, 3), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_score(b, INFINITY, fit, NULL, NULL, grade, 3), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_score(b, -INFINITY, fit, NULL, NULL, grade, 3), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_score_threads(NULL, T, fit, NULL, NULL, grade, 3, 1), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_score_threads(b, T, fit, NULL, NULL, grade, 0, 1), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_score_threads(b, NAN, fit, NULL, NULL, grade, 3, 2), FUNNEL_E_ARGUMENT);
    CHECK(fit[0] == -7 && fit[1] == -7 && fit[2] == -7);
    CHECK(grade[0] == 9 && grade[1] == 9 && grade[2] == 9);

    /* after all those failures the batch still holds A, B, C */
    {
        double total[3];
        CHECK_STATUS(funnel_batch_score(b, T, NULL, NULL, total, grade, 3), FUNNEL_OK);
        CHECK_NEAR(total[0], 33);
        CHECK_NEAR(total[1], 2.75);
        CHECK_NEAR(total[2], 0);
        CHECK(grade[0] == 0 && grade[1] == -1 && grade[2] == -1);
    }
    funnel_batch_free(b);
    funnel_model_free(m);
}

/* ------------------------------------------------------------------------ */
/* Generated leads: columns against JSON, and threads                        */

#define GEN_N 48
#define GEN_MAX_EVENTS (GEN_N * 3)

typedef struct {
    const char *industries[3];
    int32_t industry[GEN_N];
    double employees[GEN_N];
    int8_t dm[GEN_N];
    int64_t offsets[GEN_N + 1];
    int32_t members[GEN_N * 2];
    uint8_t present[GEN_N];
    uint32_t ev_lead[GEN_MAX_EVENTS];
    int32_t ev_type[GEN_MAX_EVENTS];
    double ev_at[GEN_MAX_EVENTS];
    double ev_minutes[GEN_MAX_EVENTS];
    size_t n_events;
    size_t n_members;
    char jsonl[GEN_N * 700];
    size_t jsonl_len;
    char *lines[GEN_N]; /* into a copy of jsonl, NUL-terminated */
    char lines_buf[GEN_N * 700];
} generated;

static void generate(generated *g) {
    size_t i, k, pos = 0;
    g->industries[0] = "software";
    g->industries[1] = "Retail";
    g->industries[2] = "FINTECH";
    g->n_events = 0;
    g->n_members = 0;
    g->offsets[0] = 0;
    for (i = 0; i < GEN_N; i++) {
        char attrs[300], events[400];
        size_t ap = 0, ep = 0;
        g->industry[i] = (int32_t)(i % 4) - 1;
        g->employees[i] = (i % 5 == 0) ? NAN : (double)(i * 7);
        g->dm[i] = (int8_t)((int)(i % 3) - 1);
        g->present[i] = (i % 6 != 0);
        if (g->present[i]) {
            if (i % 2) g->members[g->n_members++] = 0;
            if (i % 7 == 0) g->members[g->n_members++] = 1;
        }
        g->offsets[i + 1] = (int64_t)g->n_members;

        ap += (size_t)snprintf(attrs + ap, sizeof attrs - ap, "{");
        if (g->industry[i] >= 0)
            ap += (size_t)snprintf(attrs + ap, sizeof attrs - ap, "\"industry\":\"%s\",", g->industries[g->industry[i]]);
        else
            ap += (size_t)snprintf(attrs + ap, sizeof attrs - ap, "\"industry\":null,");
        if (!isnan(g->employees[i]))
            ap += (size_t)snprintf(attrs + ap, sizeof attrs - ap, "\"employees\":%d,", (int)g->employees[i]);
        if (g->dm[i] >= 0) ap += (size_t)snprintf(attrs + ap, sizeof attrs - ap, "\"dm\":%s,", g->dm[i] ? "true" : "false");
        if (g->present[i]) {
            ap += (size_t)snprintf(attrs + ap, sizeof attrs - ap, "\"tags\":[%s%s%s],", (i % 2) ? "\"vip\"" : "",
                                   ((i % 2) && i % 7 == 0) ? "," : "", (i % 7 == 0) ? "\"competitor\"" : "");
        }
        ap += (size_t)snprintf(attrs + ap, sizeof attrs - ap, "\"note\":\"x\"}");

        ep += (size_t)snprintf(events + ep, sizeof events - ep, "[");
        for (k = 0; k < i % 4; k++) {
            size_t e = g->n_events++;
            static const char *types[] = {"page.visit", "call.completed", "email.unsubscribe"};
            g->ev_lead[e] = (uint32_t)i;
            g->ev_type[e] = (int32_t)((i + k) % 3);
            g->ev_at[e] = T - (double)(i * (k + 1) * 3600) - 0.5;
            g->ev_minutes[e] = (k == 2) ? NAN : (double)((i * (k + 3)) % 40);
            ep += (size_t)snprintf(events + ep, sizeof events - ep, "%s{\"type\":\"%s\",\"at\":%.1f", k ? "," : "",
                                   types[g->ev_type[e]], g->ev_at[e]);
            if (!isnan(g->ev_minutes[e]))
                ep += (size_t)snprintf(events + ep, sizeof events - ep, ",\"props\":{\"minutes\":%d}", (int)g->ev_minutes[e]);
            ep += (size_t)snprintf(events + ep, sizeof events - ep, "}");
        }
        ep += (size_t)snprintf(events + ep, sizeof events - ep, "]");
        pos += (size_t)snprintf(g->jsonl + pos, sizeof g->jsonl - pos, "{\"id\":\"G%u\",\"attributes\":%s,\"events\":%s}\n",
                                (unsigned)i, attrs, events);
    }
    g->jsonl_len = pos;
    memcpy(g->lines_buf, g->jsonl, pos + 1);
    {
        char *p = g->lines_buf;
        for (i = 0; i < GEN_N; i++) {
            char *nl = strchr(p, '\n');
            g->lines[i] = p;
            if (nl) { *nl = '\0'; p = nl + 1; }
        }
    }
}

static funnel_status fill_generated(funnel_batch *b, const generated *g) {
    funnel_status s;
    static const char *const tags[] = {"vip", "competitor"};
    static const char *const types[] = {"page.visit", "call.completed", "email.unsubscribe"};
    if ((s = funnel_batch_set_strings(b, "industry", g->industries, 3, g->industry, GEN_N)) != FUNNEL_OK) return s;
    if ((s = funnel_batch_set_numbers(b, "employees", g->employees, GEN_N)) != FUNNEL_OK) return s;
    if ((s = funnel_batch_set_bools(b, "dm", g->dm, GEN_N)) != FUNNEL_OK) return s;
    if ((s = funnel_batch_set_string_sets(b, "tags", tags, 2, g->offsets, g->members, g->n_members, g->present, GEN_N)) != FUNNEL_OK)
        return s;
    return funnel_batch_set_events(b, types, 3, g->ev_lead, g->ev_type, g->ev_at, g->n_events, "minutes", g->ev_minutes);
}

typedef struct {
    const funnel_model *model;
    const funnel_batch *batch;
    const generated *gen;
    const double *fit, *behavior, *total;
    const int32_t *grade;
    const char *jsonl_out;
    char *json_out[GEN_N];
    int index;
    int ok;
    int error_ok;
} worker;

static void *work(void *arg) {
    worker *w = arg;
    int it;
    size_t i;
    char name[32];
    w->ok = 1;
    for (it = 0; it < 3; it++) {
        double fit[GEN_N], behavior[GEN_N], total[GEN_N];
        int32_t grade[GEN_N];
        char *out = NULL;
        if (funnel_batch_score_threads(w->batch, T, fit, behavior, total, grade, GEN_N, (unsigned)(it % 3)) != FUNNEL_OK)
            w->ok = 0;
        for (i = 0; i < GEN_N; i++) {
            if (fit[i] != w->fit[i] || behavior[i] != w->behavior[i] || total[i] != w->total[i] || grade[i] != w->grade[i])
                w->ok = 0;
        }
        if (funnel_score_jsonl(w->model, w->gen->jsonl, w->gen->jsonl_len, T, &out) != FUNNEL_OK || !str_eq(out, w->jsonl_out))
            w->ok = 0;
        funnel_string_free(out);
        for (i = (size_t)w->index; i < GEN_N; i += 4) {
            out = NULL;
            if (funnel_score_json(w->model, w->gen->lines[i], strlen(w->gen->lines[i]), T, &out) != FUNNEL_OK ||
                !str_eq(out, w->json_out[i]))
                w->ok = 0;
            funnel_string_free(out);
        }
        /* a per-thread failure: this thread sees its own message */
        snprintf(name, sizeof name, "missing_%d_%d", w->index, it);
        {
            funnel_model *m = NULL;
            char doc[200];
            int n = snprintf(doc, sizeof doc, "{\"format\":\"funnel.model/1\",\"attributes\":{\"n\":\"number\"},"
                                              "\"criteria\":{\"c\":{\"criterion\":\"%s\"}}}", name);
            volatile unsigned spin = 0;
            unsigned j;
            if (funnel_model_load(doc, (size_t)n, &m) != FUNNEL_E_INVALID || m != NULL) w->ok = 0;
            if (strstr(funnel_last_error(), name) == NULL) w->ok = 0;
            for (j = 0; j < 200000; j++) spin += j; /* let the other threads fail meanwhile */
            w->error_ok = strstr(funnel_last_error(), name) != NULL;
            if (!w->error_ok) w->ok = 0;
        }
    }
    return NULL;
}

static void test_generated_and_threads(void) {
    funnel_model *m = load_text(TINY_MODEL);
    funnel_batch *b = NULL;
    generated *g = malloc(sizeof *g);
    double fit[GEN_N], behavior[GEN_N], total[GEN_N];
    int32_t grade[GEN_N];
    char *jsonl_out = NULL;
    char *json_out[GEN_N];
    worker workers[4];
    pthread_t threads[4];
    size_t i;
    int mismatches = 0;
    if (!m || !g) { free(g); funnel_model_free(m); return; }
    generate(g);

    CHECK_STATUS(funnel_batch_new(m, GEN_N, &b), FUNNEL_OK);
    CHECK_STATUS(fill_generated(b, g), FUNNEL_OK);
    CHECK_STATUS(funnel_batch_score_threads(b, T, fit, behavior, total, grade, GEN_N, 1), FUNNEL_OK);
    CHECK_STATUS(funnel_score_jsonl(m, g->jsonl, g->jsonl_len, T, &jsonl_out), FUNNEL_OK);
    CHECK(count_char(jsonl_out, '\n') == GEN_N);

    /* columns and JSON agree, lead by lead */
    {
        const char *next = jsonl_out;
        for (i = 0; i < GEN_N && next; i++) {
            char gname[8];
            char line[2048];
            const char *nl = strchr(next, '\n');
            size_t ll = nl ? (size_t)(nl - next) : strlen(next);
            if (ll >= sizeof line) ll = sizeof line - 1;
            memcpy(line, next, ll); /* one line only, so that a search cannot run into the next lead */
            line[ll] = '\0';
            const char *expect = grade[i] >= 0 ? funnel_model_grade_name(m, (size_t)grade[i]) : "";
            json_string(line, "grade", gname, sizeof gname);
            if (json_number(line, "fit") - fit[i] > 1e-9 || fit[i] - json_number(line, "fit") > 1e-9 ||
                json_number(line, "behavior") - behavior[i] > 1e-9 || behavior[i] - json_number(line, "behavior") > 1e-9 ||
                json_number(line, "total") - total[i] > 1e-9 || total[i] - json_number(line, "total") > 1e-9 ||
                !str_eq(gname, expect)) {
                mismatches++;
                fprintf(stderr, "lead %u: columns %g/%g/%g/%d, JSON %.200s\n", (unsigned)i, fit[i], behavior[i], total[i],
                        grade[i], line);
            }
            next = nl ? nl + 1 : NULL;
        }
        CHECK(i == GEN_N);
        CHECK(mismatches == 0);
    }
    /* the generated leads are not trivial */
    {
        int graded = 0, negative = 0, positive = 0;
        for (i = 0; i < GEN_N; i++) {
            graded += grade[i] >= 0;
            negative += behavior[i] < 0;
            positive += behavior[i] > 0;
        }
        CHECK(graded > 5 && negative > 0 && positive > 5);
    }

    for (i = 0; i < GEN_N; i++) {
        json_out[i] = NULL;
        CHECK_STATUS(funnel_score_json(m, g->lines[i], strlen(g->lines[i]), T, &json_out[i]), FUNNEL_OK);
    }

    for (i = 0; i < 4; i++) {
        worker *w = &workers[i];
        w->model = m;
        w->batch = b;
        w->gen = g;
        w->fit = fit;
        w->behavior = behavior;
        w->total = total;
        w->grade = grade;
        w->jsonl_out = jsonl_out;
        memcpy(w->json_out, json_out, sizeof json_out);
        w->index = (int)i;
        w->ok = 0;
        w->error_ok = 0;
        CHECK(pthread_create(&threads[i], NULL, work, w) == 0);
    }
    for (i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
        CHECK(workers[i].ok);
        CHECK(workers[i].error_ok);
    }
    for (i = 0; i < GEN_N; i++) funnel_string_free(json_out[i]);
    funnel_string_free(jsonl_out);
    funnel_batch_free(b);
    funnel_model_free(m);
    free(g);
}

/* funnel_*_jsonl_opts: the thread cap changes nothing in the output; unknown
 * option versions are refused. */
static void test_jsonl_options(void) {
    funnel_model *m = load_text(TINY_MODEL);
    generated *g = malloc(sizeof *g);
    enum { COPIES = 64 }; /* 3072 leads: enough for the work to be split between threads */
    char *text = NULL;
    char *plain = NULL, *opt = NULL, *advanced = NULL;
    size_t len = 0, i;
    unsigned caps[] = {0, 1, 2, 7};
    if (!m || !g) { free(g); funnel_model_free(m); return; }
    generate(g);
    text = malloc(g->jsonl_len * COPIES + 1);
    if (!text) { free(g); funnel_model_free(m); return; }
    for (i = 0; i < COPIES; i++) {
        memcpy(text + len, g->jsonl, g->jsonl_len);
        len += g->jsonl_len;
    }
    text[len] = '\0';

    CHECK_STATUS(funnel_score_jsonl(m, text, len, T, &plain), FUNNEL_OK);
    CHECK(count_char(plain, '\n') == GEN_N * COPIES);
    CHECK_STATUS(funnel_advance_jsonl(m, text, len, T, &advanced), FUNNEL_OK);
    for (i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        funnel_jsonl_options options = FUNNEL_JSONL_OPTIONS_INIT;
        options.threads = caps[i];
        opt = NULL;
        CHECK_STATUS(funnel_score_jsonl_opts(m, text, len, T, &options, &opt), FUNNEL_OK);
        CHECK(str_eq(opt, plain));
        funnel_string_free(opt);
        opt = NULL;
        CHECK_STATUS(funnel_advance_jsonl_opts(m, text, len, T, &options, &opt), FUNNEL_OK);
        CHECK(str_eq(opt, advanced));
        funnel_string_free(opt);
    }
    /* NULL options: the defaults */
    opt = NULL;
    CHECK_STATUS(funnel_score_jsonl_opts(m, text, len, T, NULL, &opt), FUNNEL_OK);
    CHECK(str_eq(opt, plain));
    funnel_string_free(opt);
    opt = NULL;
    CHECK_STATUS(funnel_advance_jsonl_opts(m, text, len, T, NULL, &opt), FUNNEL_OK);
    CHECK(str_eq(opt, advanced));
    funnel_string_free(opt);
    /* versions this library does not know */
    {
        unsigned versions[] = {0, 2, 99};
        for (i = 0; i < sizeof versions / sizeof versions[0]; i++) {
            funnel_jsonl_options options = FUNNEL_JSONL_OPTIONS_INIT;
            options.version = versions[i];
            opt = (char *)"garbage";
            CHECK_STATUS(funnel_score_jsonl_opts(m, text, len, T, &options, &opt), FUNNEL_E_ARGUMENT);
            CHECK(opt == NULL);
            CHECK_CONTAINS(funnel_last_error(), "funnel_score_jsonl_opts: options->version");
            opt = (char *)"garbage";
            CHECK_STATUS(funnel_advance_jsonl_opts(m, text, len, T, &options, &opt), FUNNEL_E_ARGUMENT);
            CHECK(opt == NULL);
            CHECK_CONTAINS(funnel_last_error(), "funnel_advance_jsonl_opts: options->version");
        }
    }
    /* the other failures as without options */
    {
        funnel_jsonl_options options = FUNNEL_JSONL_OPTIONS_INIT;
        options.threads = 1;
        opt = (char *)"garbage";
        CHECK_STATUS(funnel_score_jsonl_opts(NULL, text, len, T, &options, &opt), FUNNEL_E_ARGUMENT);
        CHECK(opt == NULL);
        CHECK_STATUS(funnel_score_jsonl_opts(m, text, len, T, &options, NULL), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_score_jsonl_opts(m, text, len, NAN, &options, &opt), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_score_jsonl_opts(m, "{\"id\":", 6, T, &options, &opt), FUNNEL_E_PARSE);
        CHECK(opt == NULL);
        CHECK_STATUS(funnel_advance_jsonl_opts(m, NULL, 3, T, &options, &opt), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_advance_jsonl_opts(m, "{\"id\":\"x\",\"stage\":\"nope\"}", 25, T, &options, &opt),
                     FUNNEL_E_INVALID);
        CHECK(opt == NULL);
    }
    funnel_string_free(plain);
    funnel_string_free(advanced);
    free(text);
    free(g);
    funnel_model_free(m);
}

/* Refilling the string columns a thousand times, with new strings each time,
 * scores as the first fill did (the batch drops the strings it no longer uses). */
static void test_batch_refill(void) {
    funnel_model *m = load_text(TINY_MODEL);
    funnel_batch *b = NULL;
    double total[3], again[3];
    char retail[32], tag[32];
    const char *industries[2];
    const char *tags[2];
    int k, same = 1;
    if (!m) return;
    CHECK_STATUS(funnel_batch_new(m, 3, &b), FUNNEL_OK);
    if (!b) { funnel_model_free(m); return; }
    CHECK_STATUS(fill_abc(b), FUNNEL_OK);
    CHECK_STATUS(funnel_batch_score(b, T, NULL, NULL, total, NULL, 3), FUNNEL_OK);
    industries[0] = INDUSTRIES[0];
    industries[1] = retail;
    tags[0] = TAGS[0];
    tags[1] = tag;
    for (k = 0; k < 1000 && same; k++) {
        snprintf(retail, sizeof retail, "retail %d", k);
        snprintf(tag, sizeof tag, "tag %d", k);
        same = funnel_batch_set_strings(b, "industry", industries, 2, INDUSTRY_IDS, 3) == FUNNEL_OK &&
               funnel_batch_set_string_sets(b, "tags", tags, 2, TAG_OFFSETS, TAG_MEMBERS, 2, TAG_PRESENT, 3) == FUNNEL_OK &&
               funnel_batch_score(b, T, NULL, NULL, again, NULL, 3) == FUNNEL_OK &&
               memcmp(total, again, sizeof total) == 0;
    }
    CHECK(same);
    CHECK(k == 1000);
    funnel_batch_free(b);
    funnel_model_free(m);
}

int main(void) {
    test_library();
    test_last_error_fresh_thread();
    test_model_load_failures();
    test_last_error_kept_after_success();
    test_introspection();
    test_score_json();
    test_advance_json();
    test_move_json();
    test_jsonl();
    test_batch_values();
    test_batch_failures();
    test_batch_refill();
    test_generated_and_threads();
    test_jsonl_options();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
