/* common.h — reading the benchmark data (Benchmarks/data/generate.py) and small
 * helpers shared by the C programs of the comparison. Header-only, C99 + POSIX. */
#ifndef FUNNEL_COMPARE_COMMON_H
#define FUNNEL_COMPARE_COMMON_H

#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* This process's CPU time (every thread), in seconds. */
static inline double cpu_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline void die(const char *what, const char *detail) {
    fprintf(stderr, "%s: %s\n", what, detail ? detail : strerror(errno));
    exit(2);
}

/* The whole file `dir/name` in a malloc'd buffer (NUL-terminated); *size its length. */
static inline void *read_file(const char *dir, const char *name, size_t *size) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) die(path, NULL);
    if (fseek(f, 0, SEEK_END) != 0) die(path, NULL);
    long len = ftell(f);
    if (len < 0) die(path, NULL);
    rewind(f);
    char *buf = malloc((size_t)len + 1);
    if (!buf) die(path, "out of memory");
    if (len > 0 && fread(buf, 1, (size_t)len, f) != (size_t)len) die(path, "short read");
    buf[len] = 0;
    fclose(f);
    *size = (size_t)len;
    return buf;
}

/* A raw little-endian array `dir/name` of elements of `width` bytes; *count elements. */
static inline void *read_array(const char *dir, const char *name, size_t width, size_t *count) {
    size_t size;
    void *p = read_file(dir, name, &size);
    if (size % width) die(name, "size is not a multiple of the element width");
    *count = size / width;
    return p;
}

/* A JSON array of plain strings (as written by generate.py: json.dump, ASCII
 * escapes only for '"' and '\\' and control characters; non-ASCII is raw UTF-8). */
static inline char **read_string_list(const char *dir, const char *name, size_t *count) {
    size_t size;
    char *text = read_file(dir, name, &size);
    size_t cap = 16, n = 0;
    char **out = malloc(cap * sizeof *out);
    char *p = text;
    while (*p && *p != '[') p++;
    if (*p) p++;
    for (;;) {
        while (*p == ' ' || *p == ',' || *p == '\n') p++;
        if (*p == ']' || !*p) break;
        if (*p != '"') die(name, "expected a string");
        p++;
        char *s = malloc(strlen(p) + 1), *w = s;
        while (*p && *p != '"') {
            if (*p == '\\') {
                p++;
                switch (*p) {
                case 'n': *w++ = '\n'; break;
                case 't': *w++ = '\t'; break;
                case 'u': die(name, "\\u escapes are not supported"); break;
                default: *w++ = *p; break;
                }
                p++;
            } else {
                *w++ = *p++;
            }
        }
        *w = 0;
        if (*p == '"') p++;
        if (n == cap) out = realloc(out, (cap *= 2) * sizeof *out);
        out[n++] = s;
    }
    free(text);
    *count = n;
    return out;
}

/* The integer after "key": in a small JSON text (meta.json). */
static inline long long json_int(const char *text, const char *key) {
    char pattern[256];
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    const char *p = strstr(text, pattern);
    if (!p) die("meta.json", key);
    return strtoll(p + strlen(pattern), NULL, 10);
}

static inline void write_doubles(const char *dir, const char *name, const double *v, size_t n) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(v, sizeof *v, n, f) != n || fclose(f) != 0) die(path, NULL);
}

#endif
