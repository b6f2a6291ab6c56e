#include "transport/session_ledger.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t ledger_lock = PTHREAD_MUTEX_INITIALIZER;
static session_counts ledger;
static char *ledger_target;

void session_ledger_begin(const char *target_url) {
  pthread_mutex_lock(&ledger_lock);
  memset(&ledger, 0, sizeof ledger);
  free(ledger_target);
  ledger_target = target_url ? strdup(target_url) : NULL;
  pthread_mutex_unlock(&ledger_lock);
}

const char *session_ledger_target(const char *fallback) {
  /* Set once before any case starts; read-only afterwards. */
  return ledger_target ? ledger_target : fallback;
}

/* Adds one to *field; keeps why as the first reason when none is kept. */
static void count(size_t *field, const char *why) {
  pthread_mutex_lock(&ledger_lock);
  (*field)++;
  if (why && !ledger.left_open_why[0])
    snprintf(ledger.left_open_why, sizeof ledger.left_open_why, "%s", why);
  pthread_mutex_unlock(&ledger_lock);
}

void session_ledger_opened(void) { count(&ledger.opened, NULL); }
void session_ledger_closed(void) { count(&ledger.closed, NULL); }
void session_ledger_not_offered(void) { count(&ledger.not_offered, NULL); }

void session_ledger_kept(const char *why) {
  char line[sizeof ledger.left_open_why];
  snprintf(line, sizeof line, "kept by a case: %s", why);
  count(&ledger.kept, line);
}

void session_ledger_left_open(const char *fmt, ...) {
  char why[sizeof ledger.left_open_why];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, sizeof why, fmt, ap);
  va_end(ap);
  count(&ledger.left_open, why);
}

void session_ledger_delete_answer(long status, const char *why) {
  if ((status >= 200 && status < 300) || status == 404)
    session_ledger_closed(); /* 404: already gone, which is ended too */
  else if (status == 405)
    session_ledger_not_offered();
  else if (status == 400) /* some servers answer an id they no longer know so */
    session_ledger_left_open("DELETE answered HTTP 400 (the session may be gone already)");
  else if (status)
    session_ledger_left_open("DELETE answered HTTP %ld", status);
  else
    session_ledger_left_open("DELETE got no answer: %.150s", why && *why ? why : "deadline");
}

session_counts session_ledger_read(void) {
  pthread_mutex_lock(&ledger_lock);
  session_counts copy = ledger;
  pthread_mutex_unlock(&ledger_lock);
  return copy;
}
