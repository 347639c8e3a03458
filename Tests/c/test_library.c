/*
 * test_library.c — the library section of funnel.h: version, status names, NULL no-ops
 * and the per-thread last error.
 */
#include "test_support.h"

void test_library(void) {
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

void test_last_error_fresh_thread(void) {
    pthread_t t;
    int ok = 0;
    CHECK(pthread_create(&t, NULL, fresh_thread, &ok) == 0);
    pthread_join(t, NULL);
    CHECK(ok);
}
