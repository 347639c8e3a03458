/*
 * test_no_key.c — the library when pthread_key_create fails: it must keep its
 * statuses, never write through a key it does not own, and give a static
 * message from funnel_last_error(). A program of its own, because the library
 * creates its key on the first failure of the process: every thread-specific
 * key is taken here before that.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "funnel.h"

#define MAX_KEYS 65536

static pthread_key_t keys[MAX_KEYS];
static int passed;
static int failed;

#define CHECK(cond)                                                               \
    do {                                                                          \
        if (cond) {                                                               \
            passed++;                                                             \
        } else {                                                                  \
            failed++;                                                             \
            fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #cond);    \
        }                                                                         \
    } while (0)

static void *fail_on_a_thread(void *arg) {
    funnel_model *m = NULL;
    int *ok = arg;
    *ok = funnel_model_load("[", 1, &m) == FUNNEL_E_PARSE && m == NULL &&
          strstr(funnel_last_error(), "unavailable") != NULL;
    return NULL;
}

int main(void) {
    size_t n = 0, i, untouched = 0;
    funnel_model *m = NULL;
    char *out = NULL;
    pthread_t t;
    int ok = 0;

    while (n < MAX_KEYS && pthread_key_create(&keys[n], NULL) == 0) n++;
    if (n == MAX_KEYS) {
        printf("skipped: pthread keys never ran out\n");
        return 0;
    }
    /* Failures keep their status; the message is the static fallback. */
    CHECK(funnel_model_load("{", 1, &m) == FUNNEL_E_PARSE);
    CHECK(m == NULL);
    CHECK(funnel_last_error() != NULL);
    CHECK(strstr(funnel_last_error(), "unavailable") != NULL);
    CHECK(funnel_model_load(NULL, 0, &m) == FUNNEL_E_ARGUMENT);
    CHECK(strstr(funnel_last_error(), "unavailable") != NULL);
    /* No key of ours was written through. */
    for (i = 0; i < n; i++) untouched += pthread_getspecific(keys[i]) == NULL;
    CHECK(untouched == n);
    /* Everything else works. */
    CHECK(funnel_model_load_default(&m) == FUNNEL_OK);
    CHECK(funnel_score_json(m, "{\"id\":\"a\"}", 10, 0, &out) == FUNNEL_OK);
    CHECK(out != NULL && strstr(out, "\"id\":\"a\"") != NULL);
    funnel_string_free(out);
    CHECK(funnel_score_json(m, "{\"id\":", 6, 0, &out) == FUNNEL_E_PARSE);
    CHECK(pthread_create(&t, NULL, fail_on_a_thread, &ok) == 0);
    pthread_join(t, NULL);
    CHECK(ok);
    funnel_model_free(m);
    for (i = 0; i < n; i++) pthread_key_delete(keys[i]);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
