// libcurl, opened when first used (dlopen) rather than linked: only SMTP and witness requests need it, and linking
// it made every run of the binary (`redline diff` included) load libcurl's thirty libraries.
// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call; these typed
// wrappers are the only way in. curl.h gives the types and constants only.
#ifndef REDLINE_CURL_H
#define REDLINE_CURL_H
#include <curl/curl.h>

/// Loads libcurl once (thread-safe); 1 when it is there.
int redline_curl_available(void);
CURL *redline_curl_easy_init(void);
void redline_curl_easy_cleanup(CURL *handle);
CURLcode redline_curl_easy_perform(CURL *handle);
const char *redline_curl_easy_strerror(CURLcode code);
struct curl_slist *redline_curl_slist_append(struct curl_slist *list, const char *text);
void redline_curl_slist_free_all(struct curl_slist *list);
CURLcode redline_curl_set_long(CURL *handle, CURLoption option, long value);
CURLcode redline_curl_set_string(CURL *handle, CURLoption option, const char *value);
CURLcode redline_curl_set_pointer(CURL *handle, CURLoption option, void *value);
CURLcode redline_curl_set_list(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode redline_curl_set_read_function(CURL *handle, curl_read_callback callback);
CURLcode redline_curl_set_write_function(CURL *handle, curl_write_callback callback);
CURLcode redline_curl_set_debug_function(CURL *handle, curl_debug_callback callback);
CURLcode redline_curl_get_long(CURL *handle, CURLINFO info, long *value);

/// What a transfer receives, gathered in C: at most `limit` bytes, `overflow` set past them
/// (the transfer then stops with an error).
typedef struct {
    unsigned char *data;
    size_t length;
    size_t limit;
    int overflow;
} redline_curl_buffer;

/// Makes `handle` write what it receives into `buffer`.
CURLcode redline_curl_receive_into(CURL *handle, redline_curl_buffer *buffer);
void redline_curl_buffer_free(redline_curl_buffer *buffer);
#endif
