/*
 * test_model.c — the models section of funnel.h: loading (every failure path),
 * the last error across calls, introspection.
 */
#include "test_support.h"

void test_model_load_failures(void) {
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

void test_last_error_kept_after_success(void) {
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

void test_introspection(void) {
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
