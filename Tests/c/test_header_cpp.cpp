// Proves that include/funnel.h compiles as C++ (extern "C", no C-only syntax)
// and links: c++ -std=c++11 -Wall -Wextra -Werror -Iinclude test_header_cpp.cpp -L.build/lib -lfunnel
#include "funnel.h"

#include <cstdio>
#include <cstring>

int main() {
    const char *v = funnel_version();
    funnel_model *model = nullptr;
    funnel_status status = funnel_model_load(nullptr, 0, &model);
    if (v == nullptr || std::strchr(v, '.') == nullptr || status == FUNNEL_OK || model != nullptr) {
        std::printf("FAILED: version %s, status %d\n", v ? v : "(null)", static_cast<int>(status));
        return 1;
    }
    funnel_jsonl_options options = FUNNEL_JSONL_OPTIONS_INIT;
    options.version = 0;  // refused before anything else is looked at
    char *out = nullptr;
    status = funnel_score_jsonl_opts(nullptr, "", 0, 0, &options, &out);
    if (status != FUNNEL_E_ARGUMENT || out != nullptr) {
        std::printf("FAILED: funnel_score_jsonl_opts with version 0: status %d\n", static_cast<int>(status));
        return 1;
    }
    std::printf("funnel %s from C++: ok\n", v);
    return 0;
}
