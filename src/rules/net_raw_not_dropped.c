/*
 * net-raw-not-dropped: NET_RAW is in the runtime's default capability set.
 * With it a process can open raw sockets and forge packets: spoof ARP or
 * DNS answers to its neighbours on the node's pod network, and reach
 * kernel code paths that have had exploitable bugs. Few applications need
 * it (ping is the usual exception), so every container should drop it,
 * or drop ALL.
 *
 * Names must match exactly, as Pod Security matches them; "net_raw",
 * "CAP_NET_RAW" or "all" get a note, since some runtimes accept them and
 * others do not. Windows pods have no Linux capabilities and are skipped.
 * It steps aside while capabilities-restricted or capabilities-drop-all
 * runs (see below).
 */
#include <string.h>

#include "common.h"
#include "host.h"

void kc_rules_net_raw_not_dropped(const struct kc_workload *w, struct kc_check *ck)
{
	const struct kc_pod_os *os = w->spec->os;
	if (os != NULL && os->name != NULL && strcmp(os->name, "windows") == 0) {
		return;
	}
	/* One finding per field: capabilities-restricted (the restricted
	 * profile) and capabilities-drop-all report this same drop list with
	 * the fix drop: [ALL], which drops NET_RAW too, for every container
	 * that does not drop ALL. While either runs it owns the field and this
	 * rule, whose every finding is such a container, steps aside. */
	if (kc_check_rule_runs(ck, "capabilities-restricted") ||
		kc_check_rule_runs(ck, "capabilities-drop-all")) {
		return;
	}
	struct kc_arena *a = kc_check_arena(ck);
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		const struct kc_security_context *sc = ref->c->security_context;
		const struct kc_capabilities *caps = sc ? sc->capabilities : NULL;
		unsigned n = caps ? caps->drop_count : 0;
		const char *near = NULL;
		bool dropped = false;
		for (unsigned j = 0; j < n; j++) {
			const char *d = caps->drop[j];
			if (d == NULL) {
				continue;
			}
			if (strcmp(d, "ALL") == 0 || strcmp(d, "NET_RAW") == 0) {
				dropped = true;
			} else if (near == NULL && (kc_rules_capability_is(d, "ALL") ||
				kc_rules_capability_is(d, "NET_RAW"))) {
				near = d;
			}
		}
		if (dropped) {
			continue;
		}
		/* The fix keeps the list, with a misspelt NET_RAW or ALL written
		 * correctly, or NET_RAW added. */
		const char *list = "";
		bool fixed = false, plain = true;
		for (unsigned j = 0; j < n; j++) {
			const char *d = caps->drop[j];
			if (d == NULL) {
				continue;
			}
			plain = plain && d[0] != '\0' &&
				strspn(d, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					"0123456789_") == strlen(d);
			if (kc_rules_capability_is(d, "ALL")) {
				d = "ALL";
				fixed = true;
			} else if (kc_rules_capability_is(d, "NET_RAW")) {
				d = "NET_RAW";
				fixed = true;
			}
			list = kc_arena_printf(a, "%s%s%s", list, list[0] ? ", " : "", d);
		}
		if (!fixed) {
			list = kc_arena_printf(a, "%s%sNET_RAW", list, list[0] ? ", " : "");
		}
		struct kc_path p = kc_container_sc_path(ref, "capabilities.drop");
		char buf[16];
		const char *name = kc_rules_container_name(ref, buf, sizeof(buf));
		struct kc_finding *f = kc_rules_container_finding(ck, ref, &p,
			"container '%s' keeps NET_RAW: it drops neither NET_RAW nor ALL, "
			"so it can forge packets on the pod network", name);
		if (near != NULL) {
			kc_finding_note(ck, f, "'%s' is not '%s': Pod Security matches "
				"capability names exactly, and not every runtime accepts "
				"other spellings", near,
				kc_rules_capability_is(near, "ALL") ? "ALL" : "NET_RAW");
		}
		if (plain) {
			kc_finding_fix(ck, f, NULL, kc_arena_printf(a, "[%s]", list));
		}
	}
}
