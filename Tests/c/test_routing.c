/*
 * test_routing.c — tests of the routing functions of include/funnel.h
 * (funnel_router_*, SPEC §10): every function and failure path, the state
 * round trip, and overlapping calls from several threads. Plain C99.
 *
 * Part of the one C test program (test_main.c runs test_routing()).
 */
#include "test_support.h"

static const char *ROUTING_MODEL =
    "{\"format\": \"funnel.model/1\","
    " \"attributes\": {\"country\": \"string\", \"employees\": \"number\"},"
    " \"criteria\": {\"big\": {\"attr\": \"employees\", \"gte\": 1000}},"
    " \"scoring\": {\"fit\": [{\"id\": \"big\", \"if\": {\"criterion\": \"big\"}, \"points\": 10}]}}";

static const char *ROUTING =
    "{\"format\": \"funnel.routing/1\", \"capacity_window_days\": 1, \"otherwise\": \"nurture\","
    " \"teams\": ["
    "  {\"id\": \"big\", \"if\": {\"score\": \"fit\", \"gte\": 10}, \"strategy\": \"least_loaded\","
    "   \"members\": [{\"id\": \"ana\", \"capacity\": 1}, {\"id\": \"luis\", \"weight\": 2, \"capacity\": 2}]},"
    "  {\"id\": \"rr\", \"if\": {\"attr\": \"country\", \"eq\": \"es\"},"
    "   \"members\": [{\"id\": \"maria\"}, {\"id\": \"joao\"}]},"
    "  {\"id\": \"w\", \"strategy\": \"weighted\", \"members\": [{\"id\": \"eva\", \"weight\": 3}, {\"id\": \"tom\"}]}"
    " ]}";

static const double T0 = 1795000000.0;

static funnel_model *load_model(void) {
    funnel_model *model = NULL;
    CHECK_STATUS(funnel_model_load(ROUTING_MODEL, strlen(ROUTING_MODEL), &model), FUNNEL_OK);
    return model;
}

static funnel_router *new_router(const funnel_model *model, const char *state) {
    funnel_router *router = NULL;
    CHECK_STATUS(funnel_router_new(model, ROUTING, strlen(ROUTING), state, state ? strlen(state) : 0, &router),
                 FUNNEL_OK);
    return router;
}

/* Routes `lead` at `at` and returns the owner field's text ("null" when none), or "" on failure. */
static char last_owner[64];
static const char *route_owner(funnel_router *router, const char *lead, double at) {
    char *out = NULL;
    last_owner[0] = 0;
    if (funnel_router_route_json(router, lead, strlen(lead), at, 0, &out) != FUNNEL_OK) return last_owner;
    const char *p = strstr(out, "\"owner\":");
    if (p) {
        p += 8;
        size_t n = 0;
        if (*p == '"') p++;
        while (p[n] && p[n] != '"' && p[n] != ',' && n + 1 < sizeof last_owner) n++;
        memcpy(last_owner, p, n);
        last_owner[n] = 0;
    }
    funnel_string_free(out);
    return last_owner;
}

static char *state_of(const funnel_router *router) {
    char *state = NULL;
    CHECK_STATUS(funnel_router_state_json(router, &state), FUNNEL_OK);
    return state;
}

static void routing_new_failures(void) {
    funnel_model *model = load_model();
    funnel_router *router = (funnel_router *)&router;
    CHECK_STATUS(funnel_router_new(NULL, ROUTING, strlen(ROUTING), NULL, 0, &router), FUNNEL_E_ARGUMENT);
    CHECK(router == NULL);
    CHECK_STATUS(funnel_router_new(model, NULL, 0, NULL, 0, &router), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_router_new(model, ROUTING, strlen(ROUTING), NULL, 0, NULL), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_router_new(model, "{", 1, NULL, 0, &router), FUNNEL_E_PARSE);
    CHECK_STATUS(funnel_router_new(model, "\"\xff\"", 3, NULL, 0, &router), FUNNEL_E_PARSE);
    const char *bad = "{\"format\": \"funnel.routing/1\", \"capacity_window_days\": 0,"
                      " \"teams\": [{\"id\": \"t\", \"if\": {\"attr\": \"size\", \"gt\": 1},"
                      " \"members\": [{\"id\": \"a\"}, {\"id\": \"a\", \"weight\": -1}]}]}";
    CHECK_STATUS(funnel_router_new(model, bad, strlen(bad), NULL, 0, &router), FUNNEL_E_INVALID);
    CHECK(router == NULL);
    CHECK_CONTAINS(funnel_last_error(), "capacity_window_days: expected a finite number > 0\n");
    CHECK_CONTAINS(funnel_last_error(), "teams[0].if.attr: unknown attribute \"size\"");
    CHECK_CONTAINS(funnel_last_error(), "teams[0].members[1].id: duplicate id \"a\"");
    CHECK_CONTAINS(funnel_last_error(), "teams[0].members[1].weight: expected a finite number > 0");
    const char *state = "{\"format\": \"funnel.roster/1\", \"people\": {\"ana\": {\"assigned\": [\"soon\"]}}}";
    CHECK_STATUS(funnel_router_new(model, ROUTING, strlen(ROUTING), state, strlen(state), &router), FUNNEL_E_INVALID);
    CHECK_CONTAINS(funnel_last_error(), "people.ana.assigned[0]");
    CHECK_STATUS(funnel_router_new(model, ROUTING, strlen(ROUTING), "{", 1, &router), FUNNEL_E_PARSE);
    CHECK(router == NULL);
    funnel_router_free(NULL);
    funnel_model_free(model);
}

static void routing_strategies_and_results(void) {
    funnel_model *model = load_model();
    funnel_router *router = new_router(model, NULL);
    funnel_model_free(model); /* the router keeps what it needs */
    const char *big = "{\"id\": \"B\", \"attributes\": {\"employees\": 5000}}";
    const char *es = "{\"id\": \"E\", \"attributes\": {\"country\": \"es\"}}";
    const char *plain = "{\"id\": \"P\"}";
    /* least_loaded: (0,0) -> ana; (1, 0) -> luis; then ana is at capacity (1). */
    CHECK_STR(route_owner(router, big, T0), "ana");
    CHECK_STR(route_owner(router, big, T0 + 1), "luis");
    CHECK_STR(route_owner(router, big, T0 + 2), "luis");
    /* Both at capacity: "big" is skipped, and the weighted team takes it. */
    char *out = NULL;
    CHECK_STATUS(funnel_router_route_json(router, big, strlen(big), T0 + 3, 0, &out), FUNNEL_OK);
    CHECK_STR(out, "{\"id\":\"B\",\"team\":\"w\",\"owner\":\"eva\",\"queue\":null,\"kept\":false,"
                   "\"skipped\":[{\"team\":\"big\",\"members\":{\"ana\":\"at capacity\",\"luis\":\"at capacity\"}}]}");
    funnel_string_free(out);
    /* One day after the first assignment, ana's no longer counts (the window is 1 day). */
    CHECK_STR(route_owner(router, big, T0 + 86400), "ana");
    /* round robin */
    CHECK_STR(route_owner(router, es, T0 + 86401), "maria");
    CHECK_STR(route_owner(router, es, T0 + 86402), "joao");
    CHECK_STATUS(funnel_router_set_available(router, "maria", 0), FUNNEL_OK);
    CHECK_STR(route_owner(router, es, T0 + 86403), "joao");
    CHECK_STATUS(funnel_router_set_available(router, "maria", 1), FUNNEL_OK);
    CHECK_STR(route_owner(router, es, T0 + 86404), "maria");
    /* weighted 3:1, eva took one already (-1,1): (2,2) tie -> eva (-2,2); (1,3) -> tom (1,-1); (4,0) -> eva (0,0) */
    CHECK_STR(route_owner(router, plain, T0 + 86405), "eva");
    CHECK_STR(route_owner(router, plain, T0 + 86406), "tom");
    CHECK_STR(route_owner(router, plain, T0 + 86407), "eva");
    /* kept and reassign */
    const char *owned = "{\"id\": \"K\", \"owner\": \"zed\"}";
    char *before = state_of(router);
    CHECK_STATUS(funnel_router_route_json(router, owned, strlen(owned), T0 + 86408, 0, &out), FUNNEL_OK);
    CHECK_STR(out, "{\"id\":\"K\",\"team\":null,\"owner\":\"zed\",\"queue\":null,\"kept\":true,\"skipped\":[]}");
    funnel_string_free(out);
    char *after = state_of(router);
    CHECK_STR(after, before);
    funnel_string_free(after);
    CHECK_STATUS(funnel_router_route_json(router, owned, strlen(owned), T0 + 86408, 1, &out), FUNNEL_OK);
    CHECK_CONTAINS(out, "\"owner\":\"eva\"");
    CHECK_CONTAINS(out, "\"kept\":false");
    funnel_string_free(out);
    funnel_string_free(before);
    funnel_router_free(router);
}

static void routing_failures_change_nothing(void) {
    funnel_model *model = load_model();
    funnel_router *router = new_router(model, NULL);
    const char *plain = "{\"id\": \"P\"}";
    CHECK_STR(route_owner(router, plain, T0 + 100), "eva");
    char *before = state_of(router);
    char *out = (char *)&out;
    CHECK_STATUS(funnel_router_route_json(router, plain, strlen(plain), T0, 0, &out), FUNNEL_E_REFUSED);
    CHECK(out == NULL);
    CHECK_CONTAINS(funnel_last_error(), "never go backwards");
    CHECK_STATUS(funnel_router_route_json(router, plain, strlen(plain), NAN, 0, &out), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_router_route_json(router, "{\"id\":", 6, T0 + 200, 0, &out), FUNNEL_E_PARSE);
    const char *bad = "{\"id\": \"X\", \"attributes\": {\"employees\": \"many\"}}";
    CHECK_STATUS(funnel_router_route_json(router, bad, strlen(bad), T0 + 200, 0, &out), FUNNEL_E_INVALID);
    CHECK_CONTAINS(funnel_last_error(), "attributes.employees");
    const char *bad_at = "{\"id\": \"X\", \"at\": \"tomorrow\"}";
    CHECK_STATUS(funnel_router_route_json(router, bad_at, strlen(bad_at), T0 + 200, 0, &out), FUNNEL_E_INVALID);
    CHECK_STATUS(funnel_router_route_json(NULL, plain, strlen(plain), T0 + 200, 0, &out), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_router_route_json(router, NULL, 0, T0 + 200, 0, &out), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_router_route_json(router, plain, strlen(plain), T0 + 200, 0, NULL), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_router_set_available(router, "nobody", 0), FUNNEL_E_INVALID);
    CHECK_STATUS(funnel_router_set_available(router, NULL, 0), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_router_set_available(router, "\xff", 0), FUNNEL_E_PARSE);
    CHECK_STATUS(funnel_router_set_available(NULL, "eva", 0), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_router_state_json(NULL, &out), FUNNEL_E_ARGUMENT);
    CHECK_STATUS(funnel_router_state_json(router, NULL), FUNNEL_E_ARGUMENT);
    /* JSON Lines: all or nothing. */
    const char *lines = "{\"id\": \"1\"}\n\n{\"id\": \"2\", \"attributes\": {\"employees\": true}}\n";
    CHECK_STATUS(funnel_router_route_jsonl(router, lines, strlen(lines), T0 + 300, 0, &out), FUNNEL_E_INVALID);
    CHECK(out == NULL);
    CHECK_CONTAINS(funnel_last_error(), "line 3: attributes.employees");
    const char *backwards = "{\"id\": \"1\"}\n{\"id\": \"2\", \"at\": 5}\n";
    CHECK_STATUS(funnel_router_route_jsonl(router, backwards, strlen(backwards), T0 + 300, 0, &out), FUNNEL_E_REFUSED);
    CHECK_CONTAINS(funnel_last_error(), "line 2: at:");
    CHECK_STATUS(funnel_router_route_jsonl(router, "{\"id\"\n", 6, T0 + 300, 0, &out), FUNNEL_E_PARSE);
    CHECK_STATUS(funnel_router_route_jsonl(router, lines, strlen(lines), INFINITY, 0, &out), FUNNEL_E_ARGUMENT);
    char *after = state_of(router);
    CHECK_STR(after, before);
    funnel_string_free(after);
    const char *good = "{\"id\": \"1\"}\n{\"id\": \"2\", \"at\": \"2026-11-20T00:00:00Z\"}\n";
    CHECK_STATUS(funnel_router_route_jsonl(router, good, strlen(good), T0 + 300, 0, &out), FUNNEL_OK);
    CHECK_STR(out, "{\"id\":\"1\",\"team\":\"w\",\"owner\":\"eva\",\"queue\":null,\"kept\":false,\"skipped\":[]}\n"
                   "{\"id\":\"2\",\"team\":\"w\",\"owner\":\"tom\",\"queue\":null,\"kept\":false,\"skipped\":[]}\n");
    funnel_string_free(out);
    funnel_string_free(before);
    funnel_router_free(router);
    funnel_model_free(model);
}

static void routing_state_round_trip(void) {
    funnel_model *model = load_model();
    funnel_router *one = new_router(model, NULL);
    funnel_router *first = new_router(model, NULL);
    const char *leads[] = {"{\"id\": \"a\", \"attributes\": {\"employees\": 5000}}",
                           "{\"id\": \"b\", \"attributes\": {\"country\": \"es\"}}", "{\"id\": \"c\"}"};
    char expected[20][64];
    for (int i = 0; i < 20; i++) snprintf(expected[i], sizeof expected[i], "%s", route_owner(one, leads[i % 3], T0 + i * 7200));
    for (int i = 0; i < 9; i++) CHECK_STR(route_owner(first, leads[i % 3], T0 + i * 7200), expected[i]);
    char *state = state_of(first);
    CHECK_CONTAINS(state, "{\"format\":\"funnel.roster/1\",\"last_at\":");
    funnel_router *second = new_router(model, state);
    char *again = state_of(second);
    CHECK_STR(again, state);
    for (int i = 9; i < 20; i++) CHECK_STR(route_owner(second, leads[i % 3], T0 + i * 7200), expected[i]);
    char *s1 = state_of(one);
    char *s2 = state_of(second);
    CHECK_STR(s2, s1);
    funnel_string_free(s1);
    funnel_string_free(s2);
    funnel_string_free(again);
    funnel_string_free(state);
    funnel_router_free(one);
    funnel_router_free(first);
    funnel_router_free(second);
    funnel_model_free(model);
}

/* Several threads route on one router at once (which the header says not to
 * do): every call must come back OK or REFUSED, and the state must count
 * exactly the leads that were routed. */
enum { THREADS = 4, ROUTES = 300 };
static funnel_router *shared;
static int routed[THREADS];

static void *hammer(void *arg) {
    int k = (int)(size_t)arg;
    for (int i = 0; i < ROUTES; i++) {
        char *out = NULL;
        const char *lead = "{\"id\": \"H\"}";
        funnel_status s = funnel_router_route_json(shared, lead, strlen(lead), T0 + i, 0, &out);
        if (s == FUNNEL_OK) routed[k]++;
        record(s == FUNNEL_OK || s == FUNNEL_E_REFUSED, __FILE__, __LINE__, "overlapping route is OK or REFUSED", NULL);
        funnel_string_free(out);
        if (i % 50 == 0) funnel_router_set_available(shared, "tom", i % 100 == 0);
    }
    return NULL;
}

static void routing_overlapping_threads(void) {
    funnel_model *model = load_model();
    shared = new_router(model, NULL);
    pthread_t threads[THREADS];
    for (int k = 0; k < THREADS; k++) pthread_create(&threads[k], NULL, hammer, (void *)(size_t)k);
    for (int k = 0; k < THREADS; k++) pthread_join(threads[k], NULL);
    int total = 0;
    for (int k = 0; k < THREADS; k++) total += routed[k];
    char *state = state_of(shared);
    int assigned = 0;
    /* Count the numbers in the "assigned" arrays (all within the 1-day window). */
    for (const char *p = state; (p = strstr(p, "\"assigned\":[")) != NULL;) {
        p += 12;
        if (*p != ']') assigned++;
        for (; *p && *p != ']'; p++) if (*p == ',') assigned++;
    }
    CHECK(total >= ROUTES);
    CHECK(assigned == total);
    funnel_string_free(state);
    funnel_router_free(shared);
    funnel_model_free(model);
}

void test_routing(void) {
    routing_new_failures();
    routing_strategies_and_results();
    routing_failures_change_nothing();
    routing_state_round_trip();
    routing_overlapping_threads();
}
