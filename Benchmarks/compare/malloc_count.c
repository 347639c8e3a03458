/* malloc_count.c — counts malloc-family calls, for the allocation figures of
 * c_onelead (issue 10, goal 2). Preloaded, it exports two symbols that a
 * benchmark finds with dlsym: `malloc_count_enabled` (set it to count) and
 * `malloc_count_calls` (the count). It forwards to glibc's own allocator.
 *
 *   cc -O2 -shared -fPIC Benchmarks/compare/malloc_count.c -o malloc_count.so
 *   LD_PRELOAD=$PWD/malloc_count.so .build/bench-compare/bin/c_onelead LEADS MODEL
 */
#define _GNU_SOURCE
#include <stddef.h>

long malloc_count_calls = 0;
int malloc_count_enabled = 0;

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static void count(void) {
    if (malloc_count_enabled) malloc_count_calls++;
}

void *malloc(size_t n) {
    count();
    return __libc_malloc(n);
}

void *calloc(size_t a, size_t b) {
    count();
    return __libc_calloc(a, b);
}

void *realloc(void *p, size_t n) {
    count();
    return __libc_realloc(p, n);
}

int posix_memalign(void **out, size_t alignment, size_t n) {
    count();
    void *p = __libc_memalign(alignment, n);
    if (!p) return 12; /* ENOMEM */
    *out = p;
    return 0;
}

void *aligned_alloc(size_t alignment, size_t n) {
    count();
    return __libc_memalign(alignment, n);
}
