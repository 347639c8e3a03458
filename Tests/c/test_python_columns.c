/* funnel_batch_new_jsonl, funnel_doubles_from_pickle, funnel_doubles_from_objects and
 * funnel_pointer_codes (and their *_list forms): the functions a host
 * whose leads are Python objects (bindings/python) uses to reach the batch. */
#include "test_support.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* A batch read from JSON Lines scores lead i as funnel_score_jsonl scores line i. */
static void batch_new_jsonl(void) {
    funnel_model *m = load_text(TINY_MODEL);
    char text[1024];
    char *lines = NULL;
    funnel_batch *b = NULL;
    double fit[3], behavior[3], total[3];
    int32_t grade[3];
    funnel_jsonl_options options = FUNNEL_JSONL_OPTIONS_INIT;
    const char *at;
    size_t i;
    if (!m) return;
    snprintf(text, sizeof text, "%s\n\n%s\n%s\n", LEAD_A, LEAD_B, LEAD_C);
    options.threads = 1;
    CHECK_STATUS(funnel_batch_new_jsonl(m, text, strlen(text), &options, &b), FUNNEL_OK);
    CHECK_STATUS(funnel_score_jsonl(m, text, strlen(text), T, &lines), FUNNEL_OK);
    if (b && lines) {
        CHECK(funnel_batch_lead_count(b) == 3);
        CHECK_STATUS(funnel_batch_score(b, T, fit, behavior, total, grade, 3), FUNNEL_OK);
        at = lines;
        for (i = 0; i < 3; i++) {
            char name[16];
            CHECK(fit[i] == json_number(at, "fit"));
            CHECK(behavior[i] == json_number(at, "behavior"));
            CHECK(total[i] == json_number(at, "total"));
            json_string(at, "grade", name, sizeof name);
            CHECK(grade[i] < 0 ? name[0] == '\0' : str_eq(funnel_model_grade_name(m, (size_t)grade[i]), name));
            at = strchr(at, '\n') + 1;
        }
    }
    funnel_batch_free(b);
    funnel_string_free(lines);

    /* failures: out cleared, nothing to free */
    static const char BAD_JSON[] = "{\"id\":\"A\"}\n{\"id\":\n";
    static const char BAD_LEAD[] = "{\"id\":\"A\"}\n{\"id\":7}\n";
    b = (funnel_batch *)1;
    CHECK_STATUS(funnel_batch_new_jsonl(m, BAD_JSON, strlen(BAD_JSON), NULL, &b), FUNNEL_E_PARSE);
    CHECK(b == NULL);
    CHECK_CONTAINS(funnel_last_error(), "line 2");
    CHECK_STATUS(funnel_batch_new_jsonl(m, BAD_LEAD, strlen(BAD_LEAD), NULL, &b), FUNNEL_E_INVALID);
    CHECK_CONTAINS(funnel_last_error(), "line 2");
    CHECK_STATUS(funnel_batch_new_jsonl(NULL, "", 0, NULL, &b), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_new_jsonl(m, NULL, 0, NULL, &b), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_new_jsonl(m, "", 0, NULL, NULL), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_batch_new_jsonl(m, "", SIZE_MAX, NULL, &b), FUNNEL_E_ARGUMENT);
    options.version = 99;
    CHECK_STATUS(funnel_batch_new_jsonl(m, "", 0, &options, &b), FUNNEL_E_ARGUMENT);
    /* no lines: an empty batch */
    CHECK_STATUS(funnel_batch_new_jsonl(m, "\n\n", 2, NULL, &b), FUNNEL_OK);
    CHECK(b != NULL && funnel_batch_lead_count(b) == 0);
    funnel_batch_free(b);
    funnel_model_free(m);
}

/* pickle.dumps([1.5, None, 3, True, -5, 300, 70000, 2**40], 2) */
static const char PICKLED[] =
    "\x80\x02]q\x00(G?\xf8\x00\x00\x00\x00\x00\x00NK\x03\x88J\xfb\xff\xff\xffM,\x01J\x70\x11\x01\x00"
    "\x8a\x06\x00\x00\x00\x00\x00\x01" "e.";

static void doubles_from_pickle(void) {
    double out[9];
    unsigned kinds = 99;
    size_t len = sizeof PICKLED - 1, cut;
    CHECK_STATUS(funnel_doubles_from_pickle(PICKLED, len, out, 8, &kinds), FUNNEL_OK);
    CHECK(out[0] == 1.5 && isnan(out[1]) && out[2] == 3 && out[3] == 1 && out[4] == -5 && out[5] == 300 &&
          out[6] == 70000 && out[7] == 1099511627776.0);
    CHECK(kinds == (FUNNEL_PICKLED_FLOAT | FUNNEL_PICKLED_INT | FUNNEL_PICKLED_BOOL | FUNNEL_PICKLED_NONE));
    CHECK_STATUS(funnel_doubles_from_pickle(PICKLED, len, out, 8, NULL), FUNNEL_OK);
    /* pickle.dumps([float("inf"), 2], 2) */
    CHECK_STATUS(funnel_doubles_from_pickle("\x80\x02]q\x00(G\x7f\xf0\x00\x00\x00\x00\x00\x00K\x02" "e.", 19, out,
                                            2, &kinds),
                 FUNNEL_OK);
    CHECK(isinf(out[0]) && out[1] == 2);
    CHECK(kinds == (FUNNEL_PICKLED_FLOAT | FUNNEL_PICKLED_NONFINITE | FUNNEL_PICKLED_INT));
    /* an empty list; one item (APPEND) */
    CHECK_STATUS(funnel_doubles_from_pickle("\x80\x02]q\x00.", 6, NULL, 0, &kinds), FUNNEL_OK);
    CHECK(kinds == 0);
    CHECK_STATUS(funnel_doubles_from_pickle("\x80\x02]q\x00Na.", 8, out, 1, &kinds), FUNNEL_OK);
    CHECK(isnan(out[0]) && kinds == FUNNEL_PICKLED_NONE);
    /* refused: another count, every truncation, another item, NULLs */
    CHECK_STATUS(funnel_doubles_from_pickle(PICKLED, len, out, 7, &kinds), FUNNEL_E_ARGUMENT);
    CHECK(kinds == 0);
    CHECK_STATUS(funnel_doubles_from_pickle(PICKLED, len, out, 9, NULL), FUNNEL_E_ARGUMENT);
    for (cut = 0; cut < len; cut++)
        CHECK_STATUS(funnel_doubles_from_pickle(PICKLED, cut, out, 8, NULL), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_doubles_from_pickle("\x80\x02]q\x00X\x01\x00\x00\x00" "aa.", 13, out, 1, NULL),
                 FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_doubles_from_pickle("\x80\x02]q\x00\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00\x01" "a.", 18,
                                            out, 1, NULL),
                 FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_doubles_from_pickle(NULL, 0, out, 0, NULL), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_doubles_from_pickle(PICKLED, len, NULL, 8, NULL), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_doubles_from_pickle(PICKLED, SIZE_MAX, out, 8, NULL), FUNNEL_E_ARGUMENT);
}

/* Pointers numbered in order of first appearance; more than `capacity` is FUNNEL_E_LIMIT. */
static void pointer_codes(void) {
    const uintptr_t values[] = {0x1000, 0x2000, 0x1000, 0, 0x3000, 0x3000, 0, 0x2000};
    int32_t codes[8];
    size_t firsts[4], distinct = 99, i;
    static uintptr_t many[5000];
    static int32_t many_codes[5000];
    static size_t many_firsts[5000];
    CHECK_STATUS(funnel_pointer_codes(values, 8, codes, 0x9000, firsts, 4, &distinct), FUNNEL_OK);
    CHECK(distinct == 4);
    CHECK(codes[0] == 0 && codes[1] == 1 && codes[2] == 0 && codes[3] == 2 && codes[4] == 3 && codes[5] == 3 &&
          codes[6] == 2 && codes[7] == 1);
    CHECK(firsts[0] == 0 && firsts[1] == 1 && firsts[2] == 3 && firsts[3] == 4);
    CHECK_STATUS(funnel_pointer_codes(values, 8, codes, 0x9000, firsts, 3, &distinct), FUNNEL_E_LIMIT);
    CHECK(distinct == 4);
    CHECK_STATUS(funnel_pointer_codes(values, 8, codes, 0x9000, firsts, 4, NULL), FUNNEL_OK);
    CHECK_STATUS(funnel_pointer_codes(NULL, 0, NULL, 0x9000, NULL, 0, &distinct), FUNNEL_OK);
    CHECK(distinct == 0);
    /* the missing value: -1, not numbered, wherever it comes */
    CHECK_STATUS(funnel_pointer_codes(values, 8, codes, 0, firsts, 4, &distinct), FUNNEL_OK);
    CHECK(distinct == 3);
    CHECK(codes[0] == 0 && codes[1] == 1 && codes[2] == 0 && codes[3] == -1 && codes[4] == 2 && codes[5] == 2 &&
          codes[6] == -1 && codes[7] == 1);
    CHECK(firsts[0] == 0 && firsts[1] == 1 && firsts[2] == 4);
    /* many distinct values (the table grows past its collisions), each one's own number */
    for (i = 0; i < 5000; i++) many[i] = (uintptr_t)(i % 2500) * 4096u + 16u;
    CHECK_STATUS(funnel_pointer_codes(many, 5000, many_codes, 0x9000, many_firsts, 5000, &distinct), FUNNEL_OK);
    CHECK(distinct == 2500);
    for (i = 0; i < 5000; i++) CHECK(many_codes[i] == (int32_t)(i % 2500));
    for (i = 0; i < 2500; i++) CHECK(many_firsts[i] == i);
    /* refused: NULLs with a count, a capacity too large */
    CHECK_STATUS(funnel_pointer_codes(NULL, 8, codes, 0x9000, firsts, 4, NULL), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_pointer_codes(values, 8, NULL, 0x9000, firsts, 4, NULL), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_pointer_codes(values, 8, codes, 0x9000, NULL, 4, NULL), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_pointer_codes(values, 8, codes, 0x9000, firsts, (size_t)INT32_MAX, NULL), FUNNEL_E_ARGUMENT);
}

/* Number objects as a host lays them out: a header word, the type, then the value
 * (a double; or an int's size word and its 30-bit digits). */
struct object { uintptr_t header, type; double value; };
struct integer { uintptr_t header, type; intptr_t size; uint32_t digits[3]; };

static void doubles_from_objects(void) {
    static struct object floats[3] = {{1, 0xF1, 1.5}, {1, 0xF1, -0.0}, {1, 0xF1, 0}};
    static struct object other = {1, 0xAA, 7};
    /* 5, -(2**30 + 7), 0, 2**59 + 3, and 2**60 (three digits: refused) in form 1 (a signed count) */
    static struct integer ints1[5] = {{1, 0x11, 1, {5}}, {1, 0x11, -2, {7, 1}}, {1, 0x11, 0, {0}},
                                      {1, 0x11, 2, {3, 1u << 29}}, {1, 0x11, 3, {0, 0, 1}}};
    /* the same in form 2 (a tag: count << 3 | sign) */
    static struct integer ints2[5] = {{1, 0x11, 1 << 3, {5}}, {1, 0x11, 2 << 3 | 2, {7, 1}}, {1, 0x11, 1, {0}},
                                      {1, 0x11, 2 << 3, {3, 1u << 29}}, {1, 0x11, 3 << 3, {0, 0, 1}}};
    uintptr_t none = 0x9000;
    uintptr_t objects[4];
    double out[4];
    unsigned kinds = 99;
    int form, i;
    funnel_object_layout layout;
    memset(&layout, 0, sizeof layout);
    layout.version = FUNNEL_OBJECT_LAYOUT_VERSION;
    layout.none = none;
    layout.float_type = 0xF1;
    layout.type_offset = offsetof(struct object, type);
    layout.float_offset = offsetof(struct object, value);
    floats[2].value = INFINITY;
    objects[0] = (uintptr_t)&floats[0];
    objects[1] = none;
    objects[2] = (uintptr_t)&floats[1];
    objects[3] = (uintptr_t)&floats[0];
    CHECK_STATUS(funnel_doubles_from_objects(objects, 4, &layout, out, &kinds), FUNNEL_OK);
    CHECK(out[0] == 1.5 && isnan(out[1]) && out[2] == 0 && signbit(out[2]) && out[3] == 1.5);
    CHECK(kinds == (FUNNEL_PICKLED_FLOAT | FUNNEL_PICKLED_NONE));
    objects[1] = (uintptr_t)&floats[2];
    CHECK_STATUS(funnel_doubles_from_objects(objects, 2, &layout, out, &kinds), FUNNEL_OK);
    CHECK(isinf(out[1]) && kinds == (FUNNEL_PICKLED_FLOAT | FUNNEL_PICKLED_NONFINITE));
    CHECK_STATUS(funnel_doubles_from_objects(NULL, 0, &layout, NULL, &kinds), FUNNEL_OK);
    CHECK(kinds == 0);
    /* ints: not read with int_form 0; each form */
    objects[1] = (uintptr_t)&ints1[0];
    layout.int_type = 0x11;
    layout.int_size_offset = offsetof(struct integer, size);
    layout.int_digits_offset = offsetof(struct integer, digits);
    CHECK_STATUS(funnel_doubles_from_objects(objects, 2, &layout, out, &kinds), FUNNEL_E_ARGUMENT);
    for (form = 1; form <= 2; form++) {
        struct integer *ints = form == 1 ? ints1 : ints2;
        layout.int_form = (unsigned)form;
        for (i = 0; i < 4; i++) objects[i] = (uintptr_t)&ints[i];
        CHECK_STATUS(funnel_doubles_from_objects(objects, 4, &layout, out, &kinds), FUNNEL_OK);
        CHECK(out[0] == 5 && out[1] == -1073741831.0 && out[2] == 0 && out[3] == 576460752303423491.0);
        CHECK(kinds == FUNNEL_PICKLED_INT);
        objects[2] = (uintptr_t)&ints[4];
        CHECK_STATUS(funnel_doubles_from_objects(objects, 4, &layout, out, &kinds), FUNNEL_E_ARGUMENT);
        CHECK(kinds == 0);
    }
    /* lead indices: 5, 0, 2**31 + 1 (two digits); refused: negative, 2**32, a float */
    {
        static struct integer big = {1, 0x11, 2 << 3, {1, 2}};
        static struct integer too_big = {1, 0x11, 2 << 3, {0, 4}};
        uint32_t leads[3];
        layout.int_form = 2;
        objects[0] = (uintptr_t)&ints2[0];
        objects[1] = (uintptr_t)&ints2[2];
        objects[2] = (uintptr_t)&big;
        CHECK_STATUS(funnel_uint32_from_objects(objects, 3, &layout, leads), FUNNEL_OK);
        CHECK(leads[0] == 5 && leads[1] == 0 && leads[2] == 2147483649u);
        objects[2] = (uintptr_t)&ints2[1];
        CHECK_STATUS(funnel_uint32_from_objects(objects, 3, &layout, leads), FUNNEL_E_ARGUMENT);
        objects[2] = (uintptr_t)&too_big;
        CHECK_STATUS(funnel_uint32_from_objects(objects, 3, &layout, leads), FUNNEL_E_ARGUMENT);
        objects[2] = (uintptr_t)&floats[0];
        CHECK_STATUS(funnel_uint32_from_objects(objects, 3, &layout, leads), FUNNEL_E_ARGUMENT);
        CHECK_STATUS(funnel_uint32_from_objects(NULL, 0, &layout, NULL), FUNNEL_OK);
        CHECK_STATUS(funnel_uint32_from_objects(objects, 1, &layout, NULL), FUNNEL_E_ARGUMENT);
        layout.int_form = 0;
        CHECK_STATUS(funnel_uint32_from_objects(objects, 1, &layout, leads), FUNNEL_E_ARGUMENT);
        layout.int_form = 2;
    }
    /* refused: an object of another type, NULLs, another version */
    objects[0] = (uintptr_t)&floats[0];
    objects[1] = (uintptr_t)&other;
    CHECK_STATUS(funnel_doubles_from_objects(objects, 2, &layout, out, &kinds), FUNNEL_E_ARGUMENT);
    CHECK(kinds == 0);
    objects[1] = 0;
    CHECK_STATUS(funnel_doubles_from_objects(objects, 2, &layout, out, NULL), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_doubles_from_objects(NULL, 2, &layout, out, NULL), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_doubles_from_objects(objects, 1, &layout, NULL, NULL), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_doubles_from_objects(objects, 1, NULL, out, NULL), FUNNEL_E_ARGUMENT);
    layout.version = 2;
    CHECK_STATUS(funnel_doubles_from_objects(objects, 1, &layout, out, NULL), FUNNEL_E_ARGUMENT);
}

/* A host's list: a type pointer, an item count and a pointer to the item pointers. */
struct list { uintptr_t header, type; intptr_t size; const uintptr_t *items; };

/* The *_list functions read a list's items as the *_objects functions read an array. */
static void from_list(void) {
    static struct object floats[2] = {{1, 0xF1, 1.5}, {1, 0xF1, -2}};
    static struct integer ints[2] = {{1, 0x11, 1 << 3, {5}}, {1, 0x11, 1, {0}}};
    const uintptr_t none = 0x9000;
    uintptr_t numbers[3], leads[2];
    const uintptr_t strings[] = {0x1000, 0x2000, 0x1000, none};
    struct list list = {1, 0x4C, 3, numbers};
    struct list other = {1, 0x4D, 3, numbers};
    funnel_list_layout list_layout;
    funnel_object_layout layout;
    double out[3];
    uint32_t indices[2];
    int32_t codes[4];
    size_t firsts[4], distinct = 99;
    unsigned kinds = 99;
    memset(&layout, 0, sizeof layout);
    layout.version = FUNNEL_OBJECT_LAYOUT_VERSION;
    layout.int_form = 2;
    layout.none = none;
    layout.float_type = 0xF1;
    layout.int_type = 0x11;
    layout.type_offset = offsetof(struct object, type);
    layout.float_offset = offsetof(struct object, value);
    layout.int_size_offset = offsetof(struct integer, size);
    layout.int_digits_offset = offsetof(struct integer, digits);
    memset(&list_layout, 0, sizeof list_layout);
    list_layout.version = FUNNEL_LIST_LAYOUT_VERSION;
    list_layout.list_type = 0x4C;
    list_layout.type_offset = offsetof(struct list, type);
    list_layout.size_offset = offsetof(struct list, size);
    list_layout.items_offset = offsetof(struct list, items);
    numbers[0] = (uintptr_t)&floats[0];
    numbers[1] = none;
    numbers[2] = (uintptr_t)&ints[0];
    CHECK_STATUS(funnel_doubles_from_list(&list, 3, &list_layout, &layout, out, &kinds), FUNNEL_OK);
    CHECK(out[0] == 1.5 && isnan(out[1]) && out[2] == 5);
    CHECK(kinds == (FUNNEL_PICKLED_FLOAT | FUNNEL_PICKLED_NONE | FUNNEL_PICKLED_INT));
    /* refused: another count, another type, no list, no layout, another version; an item */
    CHECK_STATUS(funnel_doubles_from_list(&list, 2, &list_layout, &layout, out, &kinds), FUNNEL_E_ARGUMENT);
    CHECK(kinds == 0);
    CHECK_CONTAINS(funnel_last_error(), "holds 3 items, not 2");
    CHECK_STATUS(funnel_doubles_from_list(&other, 3, &list_layout, &layout, out, &kinds), FUNNEL_E_ARGUMENT);
    CHECK_CONTAINS(funnel_last_error(), "not a list");
    CHECK_STATUS(funnel_doubles_from_list(NULL, 0, &list_layout, &layout, out, &kinds), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_doubles_from_list(&list, 3, NULL, &layout, out, &kinds), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_doubles_from_list(&list, 3, &list_layout, NULL, out, &kinds), FUNNEL_E_ARGUMENT);
    list_layout.version = 2;
    CHECK_STATUS(funnel_doubles_from_list(&list, 3, &list_layout, &layout, out, &kinds), FUNNEL_E_ARGUMENT);
    list_layout.version = FUNNEL_LIST_LAYOUT_VERSION;
    numbers[1] = (uintptr_t)&other; /* neither a float, an int nor None */
    CHECK_STATUS(funnel_doubles_from_list(&list, 3, &list_layout, &layout, out, &kinds), FUNNEL_E_ARGUMENT);
    /* an empty list, its items pointer NULL */
    list.size = 0;
    list.items = NULL;
    CHECK_STATUS(funnel_doubles_from_list(&list, 0, &list_layout, &layout, NULL, &kinds), FUNNEL_OK);
    CHECK_STATUS(funnel_uint32_from_list(&list, 0, &list_layout, &layout, NULL), FUNNEL_OK);
    CHECK_STATUS(funnel_pointer_codes_list(&list, 0, &list_layout, NULL, none, NULL, 0, &distinct), FUNNEL_OK);
    CHECK(distinct == 0);
    list.size = 2;
    CHECK_STATUS(funnel_uint32_from_list(&list, 2, &list_layout, &layout, indices), FUNNEL_E_ARGUMENT);
    /* lead indices */
    leads[0] = (uintptr_t)&ints[0];
    leads[1] = (uintptr_t)&ints[1];
    list.items = leads;
    CHECK_STATUS(funnel_uint32_from_list(&list, 2, &list_layout, &layout, indices), FUNNEL_OK);
    CHECK(indices[0] == 5 && indices[1] == 0);
    CHECK_STATUS(funnel_uint32_from_list(&list, 1, &list_layout, &layout, indices), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_uint32_from_list(&other, 2, &list_layout, &layout, indices), FUNNEL_E_ARGUMENT);
    /* pointer codes */
    list.size = 4;
    list.items = strings;
    CHECK_STATUS(funnel_pointer_codes_list(&list, 4, &list_layout, codes, none, firsts, 4, &distinct), FUNNEL_OK);
    CHECK(distinct == 2 && codes[0] == 0 && codes[1] == 1 && codes[2] == 0 && codes[3] == -1);
    CHECK(firsts[0] == 0 && firsts[1] == 1);
    CHECK_STATUS(funnel_pointer_codes_list(&list, 4, &list_layout, codes, none, firsts, 1, &distinct),
                 FUNNEL_E_LIMIT);
    CHECK_STATUS(funnel_pointer_codes_list(&list, 5, &list_layout, codes, none, firsts, 4, &distinct),
                 FUNNEL_E_ARGUMENT);
    CHECK(distinct == 0);
    CHECK_STATUS(funnel_pointer_codes_list(&other, 3, &list_layout, codes, none, firsts, 4, NULL), FUNNEL_E_ARGUMENT);
}

void test_python_columns(void) {
    from_list();
    doubles_from_objects();
    batch_new_jsonl();
    doubles_from_pickle();
    pointer_codes();
}
