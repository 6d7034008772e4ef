/*
 * dangerous-capabilities: capabilities.add must not grant a capability that
 * lets a process take over the node or its neighbours. One finding per
 * offending entry, at the entry. Names are compared without case and
 * without a CAP_ prefix, since container runtimes may still grant such a
 * spelling; a spelling other than the canonical one gets a note.
 *
 * The list parameter `allowed` (from the configuration) lets a repository
 * accept some of them, e.g. NET_ADMIN for a CNI agent.
 */
#include <string.h>

#include "common.h"
#include "host.h"

static const struct {
	const char *name;
	const char *why;
} dangerous[] = {
	{ "ALL", "which grants every capability: nearly all the power of root "
		"on the node" },
	{ "SYS_ADMIN", "which allows mounts, namespace changes and much more: "
		"close to root on the node, and the usual way out of a container" },
	{ "NET_ADMIN", "which lets it reconfigure network interfaces, routes and "
		"firewall rules" },
	{ "SYS_PTRACE", "which lets it trace other processes and read their memory" },
	{ "SYS_MODULE", "which lets it load kernel modules, i.e. run code in the "
		"node's kernel" },
	{ "SYS_RAWIO", "which gives raw access to I/O ports and device memory" },
	{ "SYS_BOOT", "which lets it reboot the node or load a new kernel" },
	{ "SYS_TIME", "which lets it set the node's clock (time is not namespaced)" },
	{ "DAC_READ_SEARCH", "which lets it bypass read permissions and open files "
		"by handle, a known container escape" },
	{ "BPF", "which lets it load BPF programs into the kernel" },
	{ "PERFMON", "which lets it trace the kernel and other processes" },
	{ "NET_RAW", "which lets it forge packets on the pod network" },
	{ "MAC_ADMIN", "which lets it change the mandatory access control policy "
		"(AppArmor, Smack)" },
	{ "MAC_OVERRIDE", "which lets it override the mandatory access control "
		"policy" },
};

#define N_DANGEROUS (sizeof(dangerous) / sizeof(dangerous[0]))

static bool allowed(const char *const *list, unsigned n, const char *canon)
{
	for (unsigned i = 0; i < n; i++) {
		if (list[i] != NULL && kc_rules_capability_is(list[i], canon)) {
			return true;
		}
	}
	return false;
}

void kc_rules_dangerous_capabilities(const struct kc_workload *w, struct kc_check *ck)
{
	unsigned n_allowed = 0;
	const char *const *allow = kc_check_param_list(ck, "allowed", &n_allowed);
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		const struct kc_security_context *sc = ref->c->security_context;
		const struct kc_capabilities *caps = sc ? sc->capabilities : NULL;
		for (unsigned j = 0; caps != NULL && j < caps->add_count; j++) {
			const char *cap = caps->add[j];
			size_t k = 0;
			while (cap != NULL && k < N_DANGEROUS &&
				!kc_rules_capability_is(cap, dangerous[k].name)) {
				k++;
			}
			if (cap == NULL || k == N_DANGEROUS ||
				allowed(allow, n_allowed, dangerous[k].name)) {
				continue;
			}
			struct kc_path p = kc_container_sc_path(ref, "capabilities.add");
			kc_path_index(&p, j);
			char buf[16];
			const char *name = kc_rules_container_name(ref, buf, sizeof(buf));
			struct kc_finding *f = kc_rules_container_finding(ck, ref, &p,
				"container '%s' adds capability '%s', %s", name,
				dangerous[k].name, dangerous[k].why);
			if (strcmp(cap, dangerous[k].name) != 0) {
				kc_finding_note(ck, f, "written '%s': Pod Security matches "
					"capability names exactly, but container runtimes may "
					"still grant %s", cap, dangerous[k].name);
			}
		}
	}
}
