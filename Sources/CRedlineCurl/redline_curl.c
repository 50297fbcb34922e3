#include <stdlib.h>
#include <string.h>
#include "redline_curl.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

struct redline_curl_api {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    CURLcode (*easy_perform)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
};

static struct redline_curl_api redline_curl;
static pthread_once_t redline_curl_once = PTHREAD_ONCE_INIT;

static void redline_curl_open(void) {
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) library = dlopen("libcurl.so", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) return;
    struct redline_curl_api api = {
        (CURLcode (*)(long))dlsym(library, "curl_global_init"),
        (CURL *(*)(void))dlsym(library, "curl_easy_init"),
        (void (*)(CURL *))dlsym(library, "curl_easy_cleanup"),
        (CURLcode (*)(CURL *))dlsym(library, "curl_easy_perform"),
        (const char *(*)(CURLcode))dlsym(library, "curl_easy_strerror"),
        (CURLcode (*)(CURL *, CURLoption, ...))dlsym(library, "curl_easy_setopt"),
        (CURLcode (*)(CURL *, CURLINFO, ...))dlsym(library, "curl_easy_getinfo"),
        (struct curl_slist *(*)(struct curl_slist *, const char *))dlsym(library, "curl_slist_append"),
        (void (*)(struct curl_slist *))dlsym(library, "curl_slist_free_all"),
    };
    if (!api.global_init || !api.easy_init || !api.easy_cleanup || !api.easy_perform || !api.easy_strerror
        || !api.easy_setopt || !api.easy_getinfo || !api.slist_append || !api.slist_free_all) return;
    if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) return;
    redline_curl = api;
}

int redline_curl_available(void) {
    pthread_once(&redline_curl_once, redline_curl_open);
    return redline_curl.easy_init != NULL;
}

CURL *redline_curl_easy_init(void) {
    return redline_curl_available() ? redline_curl.easy_init() : NULL;
}

void redline_curl_easy_cleanup(CURL *handle) {
    if (redline_curl_available()) redline_curl.easy_cleanup(handle);
}

CURLcode redline_curl_easy_perform(CURL *handle) {
    return redline_curl_available() ? redline_curl.easy_perform(handle) : CURLE_FAILED_INIT;
}

const char *redline_curl_easy_strerror(CURLcode code) {
    return redline_curl_available() ? redline_curl.easy_strerror(code) : "libcurl is not installed";
}

struct curl_slist *redline_curl_slist_append(struct curl_slist *list, const char *text) {
    return redline_curl_available() ? redline_curl.slist_append(list, text) : NULL;
}

void redline_curl_slist_free_all(struct curl_slist *list) {
    if (redline_curl_available() && list != NULL) redline_curl.slist_free_all(list);
}

CURLcode redline_curl_set_long(CURL *handle, CURLoption option, long value) {
    return redline_curl.easy_setopt(handle, option, value);
}

CURLcode redline_curl_set_string(CURL *handle, CURLoption option, const char *value) {
    return redline_curl.easy_setopt(handle, option, value);
}

CURLcode redline_curl_set_pointer(CURL *handle, CURLoption option, void *value) {
    return redline_curl.easy_setopt(handle, option, value);
}

CURLcode redline_curl_set_list(CURL *handle, CURLoption option, struct curl_slist *value) {
    return redline_curl.easy_setopt(handle, option, value);
}

CURLcode redline_curl_set_read_function(CURL *handle, curl_read_callback callback) {
    return redline_curl.easy_setopt(handle, CURLOPT_READFUNCTION, callback);
}

CURLcode redline_curl_set_write_function(CURL *handle, curl_write_callback callback) {
    return redline_curl.easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}

CURLcode redline_curl_set_debug_function(CURL *handle, curl_debug_callback callback) {
    return redline_curl.easy_setopt(handle, CURLOPT_DEBUGFUNCTION, callback);
}

CURLcode redline_curl_get_long(CURL *handle, CURLINFO info, long *value) {
    return redline_curl.easy_getinfo(handle, info, value);
}

static size_t redline_curl_buffer_write(char *data, size_t size, size_t count, void *context) {
    redline_curl_buffer *buffer = context;
    size_t length = size * count;
    if (buffer->length + length > buffer->limit) {
        buffer->overflow = 1;
        return 0;
    }
    unsigned char *grown = realloc(buffer->data, buffer->length + length + 1);
    if (grown == NULL) return 0;
    memcpy(grown + buffer->length, data, length);
    buffer->data = grown;
    buffer->length += length;
    return length;
}

CURLcode redline_curl_receive_into(CURL *handle, redline_curl_buffer *buffer) {
    CURLcode code = redline_curl.easy_setopt(handle, CURLOPT_WRITEFUNCTION, redline_curl_buffer_write);
    return code != CURLE_OK ? code : redline_curl.easy_setopt(handle, CURLOPT_WRITEDATA, buffer);
}

void redline_curl_buffer_free(redline_curl_buffer *buffer) {
    free(buffer->data);
    buffer->data = NULL;
    buffer->length = 0;
}
