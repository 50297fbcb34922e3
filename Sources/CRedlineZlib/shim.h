// zlib from Debian's zlib1g-dev: gzip for the precompressed search index.
#include <zlib.h>

// deflateInit2 is a macro that passes the library version and stream size; Swift cannot call macros.
static inline int redline_deflate_init_gzip(z_streamp stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
