/*
 * test_support.h — what the C tests of libfunnel share: the CHECK macros that
 * count and report, the fixture models and leads, small JSON helpers, and the
 * entry point of every test file (run in order by test_main.c).
 *
 * Every test file includes this first: it sets _POSIX_C_SOURCE for pthreads.
 */
#ifndef FUNNEL_TEST_SUPPORT_H
#define FUNNEL_TEST_SUPPORT_H

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funnel.h"

/* ------------------------------------------------------------------------ */
/* Checks: each one counts as passed or failed; failures are printed with    */
/* file and line. Safe from several threads at once.                         */

extern int passed;
extern int failed;

void record(int ok, const char *file, int line, const char *what, const char *detail);

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

/* TINY_MODEL: four attributes, two criteria, fit, behaviour with a half-life
 * and a window, grades, a disqualifier and stages. Leads A, B and C: see
 * test_support.c for what each scores at T. */
extern const char TINY_MODEL[];
/* No name, no stages, no grades. */
extern const char BARE_MODEL[];
extern const char LEAD_A[];
extern const char LEAD_B[];
extern const char LEAD_C[];

/* The number after "key": in a JSON text, NAN when absent or null. */
double json_number(const char *json, const char *key);
/* Copies the string value after "key": (or "" for null / absent) into buf. */
const char *json_string(const char *json, const char *key, char *buf, size_t size);
size_t count_char(const char *s, char c);
/* A model loaded from `json`, or NULL (with a message) when it does not load. */
funnel_model *load_text(const char *json);
int str_eq(const char *a, const char *b);
/* A text of `depth` '[' then `depth` ']' (caller frees). */
char *deep_text(size_t depth, size_t *len);

/* ------------------------------------------------------------------------ */
/* The tests, one group per section of funnel.h                              */

/* test_library.c: version, status names, NULL no-ops, per-thread errors */
void test_library(void);
void test_last_error_fresh_thread(void);
/* test_model.c: loading, its failures, introspection */
void test_model_load_failures(void);
void test_last_error_kept_after_success(void);
void test_introspection(void);
/* test_json.c: one lead as JSON */
void test_score_json(void);
void test_score_json_threads(void);
void test_advance_json(void);
void test_move_json(void);
/* test_jsonl.c: many leads as JSON Lines */
void test_jsonl(void);
/* test_batch.c: many leads as columns */
void test_batch_values(void);
void test_batch_failures(void);
void test_batch_refill(void);
void test_batch_text(void);
void test_batch_score_events(void);
/* test_batch_generated.c: generated leads, columns against JSON, threads */
void test_generated_and_threads(void);
void test_jsonl_options(void);
/* test_python_columns.c: batches from JSON Lines, numbers from pickles */
void test_python_columns(void);
/* test_report.c: the funnel report (SPEC §12) */
void test_report(void);
/* test_prediction.c: the win model (SPEC §14), on Tests/fixtures/win */
void test_prediction(void);
/* test_routing.c: routing (SPEC §10) */
void test_routing(void);
/* test_second_edition.c: SPEC §13 */
void test_second_edition(void);
/* test_conversion.c: accounts, conversion and duplicates (SPEC §11) */
void test_conversion(void);
/* test_arrow.c: Arrow tables in, Arrow scores out */
void test_arrow(void);

#endif
