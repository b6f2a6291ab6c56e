/* fault.c: the table of named faults and wire variants (list in fault.h). */
#include <stdio.h>
#include <string.h>

#include "fault.h"

typedef struct fault_row {
  const char *name, *reqs, *desc;
} fault_row;

static const fault_row faults[FAULT_COUNT] = {
#define MOCK_FAULT_ROW(e, name, reqs, desc) {name, reqs, desc},
    MOCK_FAULTS(MOCK_FAULT_ROW)
#undef MOCK_FAULT_ROW
};

static const fault_row wires[WIRE_COUNT] = {
#define MOCK_WIRE_ROW(e, name, desc) {name, "", desc},
    MOCK_WIRES(MOCK_WIRE_ROW)
#undef MOCK_WIRE_ROW
};

static int table_find(const fault_row *rows, int n, const char *name) {
  for (int i = 0; i < n; i++)
    if (!strcmp(rows[i].name, name))
      return i;
  return -1;
}

int fault_find(const char *name) { return table_find(faults, FAULT_COUNT, name); }
int wire_find(const char *name) { return table_find(wires, WIRE_COUNT, name); }
const char *fault_name(int f) { return faults[f].name; }

/* One line per fault: name, the ids it breaks, what it does (tab-separated). */
void fault_print_list(void) {
  for (int i = 0; i < FAULT_COUNT; i++)
    printf("%s\t%s\t%s\n", faults[i].name, faults[i].reqs, faults[i].desc);
}

void wire_print_list(void) {
  for (int i = 0; i < WIRE_COUNT; i++)
    printf("%s\t%s\n", wires[i].name, wires[i].desc);
}
