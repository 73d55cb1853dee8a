/* yaml_version.c - reports which libyaml the plan loader was linked with. */
#include <yaml.h>

#include "plan.h"

const char *plan_yaml_version(void)
{
	return yaml_get_version_string();
}
