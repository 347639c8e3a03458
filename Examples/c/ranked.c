/*
 * ranked.c — scores leads with libfunnel and prints them best first.
 *
 *   ranked [MODEL.json|-] [LEADS.jsonl|-] [AS_OF_SECONDS]
 *
 * MODEL.json is a funnel.model/1 document; without it (or with "-") the embedded
 * default model is used. Leads are JSON Lines (SPEC §6), read from LEADS.jsonl or
 * standard input. AS_OF_SECONDS (seconds since the epoch) defaults to now.
 *
 *   cc -std=c99 -Iinclude Examples/c/ranked.c -L.build/lib -lfunnel -o ranked
 *   LD_LIBRARY_PATH=.build/lib ./ranked - Examples/leads.jsonl
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "funnel.h"

typedef struct {
    char id[128];
    char grade[32];
    double total;
    size_t order;
} ranked_lead;

/* Reads a whole stream; NULL on failure. */
static char *read_all(FILE *f, size_t *len) {
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) {
            if (ferror(f)) break;
            *len = n;
            return buf;
        }
        {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) break;
            buf = bigger;
            cap *= 2;
        }
    }
    free(buf);
    return NULL;
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *text;
    if (!f) {
        perror(path);
        return NULL;
    }
    text = read_all(f, len);
    fclose(f);
    return text;
}

/* Copies the JSON string starting at p (just after its opening quote) into out,
 * escapes left as written; returns the position after the closing quote. */
static const char *copy_string(const char *p, char *out, size_t size) {
    size_t n = 0;
    while (*p && *p != '"') {
        if (*p == '\\' && p[1]) {
            if (n + 1 < size) out[n++] = *p;
            p++;
        }
        if (n + 1 < size) out[n++] = *p;
        p++;
    }
    out[n] = '\0';
    return *p == '"' ? p + 1 : p;
}

/* Fills r from one score result line: {"id":"…","fit":…,"behavior":…,"total":…,"grade":…,…}. */
static int parse_result(const char *line, ranked_lead *r) {
    const char *p;
    if (strncmp(line, "{\"id\":\"", 7) != 0) return 0;
    p = copy_string(line + 7, r->id, sizeof r->id);
    p = strstr(p, ",\"total\":");
    if (!p) return 0;
    r->total = strtod(p + 9, NULL);
    p = strstr(p, ",\"grade\":");
    if (!p) return 0;
    p += 9;
    if (*p == '"')
        copy_string(p + 1, r->grade, sizeof r->grade);
    else
        strcpy(r->grade, "-");
    return 1;
}

static int by_total(const void *a, const void *b) {
    const ranked_lead *x = a, *y = b;
    if (x->total != y->total) return x->total < y->total ? 1 : -1;
    return x->order < y->order ? -1 : (x->order > y->order);
}

int main(int argc, char **argv) {
    funnel_model *model = NULL;
    funnel_status status;
    char *leads, *results = NULL;
    size_t len = 0, count = 0, i;
    ranked_lead *ranked;
    const char *line;
    double as_of = argc > 3 ? strtod(argv[3], NULL) : (double)time(NULL);

    if (argc > 1 && strcmp(argv[1], "-") != 0) {
        size_t model_len = 0;
        char *text = read_file(argv[1], &model_len);
        if (!text) return 2;
        status = funnel_model_load(text, model_len, &model);
        free(text);
    } else {
        status = funnel_model_load_default(&model);
    }
    if (status != FUNNEL_OK) {
        fprintf(stderr, "ranked: model: %s: %s\n", funnel_status_str(status), funnel_last_error());
        return 2;
    }

    leads = (argc > 2 && strcmp(argv[2], "-") != 0) ? read_file(argv[2], &len) : read_all(stdin, &len);
    if (!leads) {
        fprintf(stderr, "ranked: cannot read the leads\n");
        funnel_model_free(model);
        return 2;
    }
    status = funnel_score_jsonl(model, leads, len, as_of, &results);
    free(leads);
    if (status != FUNNEL_OK) {
        fprintf(stderr, "ranked: leads: %s: %s\n", funnel_status_str(status), funnel_last_error());
        funnel_model_free(model);
        return 1;
    }

    for (line = results; *line; line++) count += (*line == '\n');
    ranked = calloc(count ? count : 1, sizeof *ranked);
    if (!ranked) {
        funnel_string_free(results);
        funnel_model_free(model);
        return 2;
    }
    count = 0;
    for (line = results; *line;) {
        const char *end = strchr(line, '\n');
        if (parse_result(line, &ranked[count])) {
            ranked[count].order = count;
            count++;
        }
        line = end ? end + 1 : line + strlen(line);
    }
    qsort(ranked, count, sizeof *ranked, by_total);

    printf("%-4s  %-20s  %-5s  %8s\n", "rank", "id", "grade", "total");
    for (i = 0; i < count; i++)
        printf("%-4u  %-20s  %-5s  %8.2f\n", (unsigned)(i + 1), ranked[i].id, ranked[i].grade, ranked[i].total);

    free(ranked);
    funnel_string_free(results);
    funnel_model_free(model);
    return 0;
}
