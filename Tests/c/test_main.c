/*
 * test_main.c — runs every C test of the interface (include/funnel.h), every
 * function and every failure path; plain C99, no framework. Build it with the
 * other Tests/c/test_*.c files (`make c-test`, `make asan-test`):
 *
 *   cc -std=c99 -Wall -Wextra -pedantic -Werror -Iinclude Tests/c/test_*.c \
 *      -L.build/lib -lfunnel -lpthread -o test_funnel
 *   LD_LIBRARY_PATH=.build/lib valgrind --error-exitcode=1 --leak-check=full ./test_funnel
 *
 * The last line of output is "N passed, M failed"; the exit status is non-zero
 * when anything failed.
 */
#include "test_support.h"

int main(void) {
    test_library();
    test_last_error_fresh_thread();
    test_model_load_failures();
    test_last_error_kept_after_success();
    test_introspection();
    test_score_json();
    test_score_json_threads();
    test_advance_json();
    test_move_json();
    test_jsonl();
    test_batch_values();
    test_batch_failures();
    test_batch_refill();
    test_batch_text();
    test_batch_score_events();
    test_generated_and_threads();
    test_jsonl_options();
    test_python_columns();
    test_report();
    test_prediction();
    test_routing();
    test_conversion();
    test_arrow();
    test_second_edition();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
