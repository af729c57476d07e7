/**
 * @file log.c
 * @brief Messages to the user and the JS_ASSERT failure path.
 */

/* system headers */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* local headers */
#include "jinsong/log.h"

/* The verbosity is process configuration set once by the command line, not model state. */
static bool log_quiet = false;

noreturn void js_log_assert_fail(const char *cond, const char *file, int line, const char *func)
{
    fprintf(stderr, "jinsong: internal error: assertion '%s' failed at %s:%d in %s()\n", cond, file,
            line, func);
    fflush(stderr);
    abort();
}

void js_log_set_quiet(bool quiet)
{
    log_quiet = quiet;
}

bool js_log_quiet(void)
{
    return log_quiet;
}

/**
 * @brief Prints one prefixed line on stderr.
 * @param prefix text before the message
 * @param fmt printf format
 * @param ap arguments
 */
static void log_vprint(const char *prefix, const char *fmt, va_list ap)
{
    fputs(prefix, stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void js_log_info(const char *fmt, ...)
{
    if (log_quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    log_vprint("", fmt, ap);
    va_end(ap);
}

void js_log_warn(const char *fmt, ...)
{
    if (log_quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    log_vprint("jinsong: warning: ", fmt, ap);
    va_end(ap);
}

void js_log_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vprint("jinsong: error: ", fmt, ap);
    va_end(ap);
}
