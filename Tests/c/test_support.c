/*
 * test_support.c — the counters behind the CHECK macros, the fixture models
 * and leads, and the helpers of test_support.h.
 */
#include "test_support.h"

int passed;
int failed;
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;

void record(int ok, const char *file, int line, const char *what, const char *detail) {
    pthread_mutex_lock(&count_lock);
    if (ok) {
        passed++;
    } else {
        failed++;
        fprintf(stderr, "%s:%d: FAILED: %s%s%s\n", file, line, what, detail ? " -- " : "", detail ? detail : "");
    }
    pthread_mutex_unlock(&count_lock);
}

const char TINY_MODEL[] =
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
const char BARE_MODEL[] =
    "{\"format\":\"funnel.model/1\",\"attributes\":{\"n\":\"number\"},"
    "\"scoring\":{\"fit\":[{\"id\":\"n\",\"if\":{\"attr\":\"n\",\"gt\":0},\"points\":1}]}}";

/* Lead A at T: fit 10+5+3 = 18; behaviour: visits 8/2 + 8 = 12 (one past the
 * window, one in the future, both ignored), calls 6/2 = 3 (the short one does not
 * match): 15; total 33, grade A. */
const char LEAD_A[] =
    "{\"id\":\"A\",\"attributes\":{\"industry\":\" Software \",\"employees\":120,\"dm\":false,\"tags\":[\"vip\"]},"
    "\"events\":[{\"type\":\"page.visit\",\"at\":999136000},{\"type\":\"page.visit\",\"at\":1000000000},"
    "{\"type\":\"call.completed\",\"at\":\"2001-08-30T01:46:40Z\",\"props\":{\"minutes\":25}},"
    "{\"type\":\"call.completed\",\"at\":1000000000,\"props\":{\"minutes\":5}},"
    "{\"type\":\"page.visit\",\"at\":991273600},{\"type\":\"page.visit\",\"at\":1000000010}]}";

/* Lead B at T: fit 4, behaviour -5/4 = -1.25 (20 days), total 2.75, no grade,
 * disqualified by competitor. */
const char LEAD_B[] =
    "{\"id\":\"B\",\"attributes\":{\"industry\":\"retail\",\"employees\":10,\"dm\":true,\"tags\":[\"competitor\"]},"
    "\"events\":[{\"type\":\"email.unsubscribe\",\"at\":998272000}]}";

const char LEAD_C[] = "{\"id\":\"C\"}";

/* The number after "key": in a JSON text, NAN when absent or null. */
double json_number(const char *json, const char *key) {
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
const char *json_string(const char *json, const char *key, char *buf, size_t size) {
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

size_t count_char(const char *s, char c) {
    size_t n = 0;
    for (; s && *s; s++)
        if (*s == c) n++;
    return n;
}

funnel_model *load_text(const char *json) {
    funnel_model *m = NULL;
    funnel_status s = funnel_model_load(json, strlen(json), &m);
    if (s != FUNNEL_OK) {
        fprintf(stderr, "cannot load a test model: %s\n", funnel_last_error());
        return NULL;
    }
    return m;
}

int str_eq(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

/* A text of `depth` '[' then `depth` ']' (caller frees). */
char *deep_text(size_t depth, size_t *len) {
    char *s = malloc(2 * depth + 1);
    if (!s) return NULL;
    memset(s, '[', depth);
    memset(s + depth, ']', depth);
    s[2 * depth] = '\0';
    *len = 2 * depth;
    return s;
}
