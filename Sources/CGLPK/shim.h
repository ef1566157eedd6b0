#ifndef IOP_CGLPK_SHIM_H
#define IOP_CGLPK_SHIM_H
#include <glpk.h>
#endif
