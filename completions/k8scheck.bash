# bash completion for k8scheck                              -*- shell-script -*-
#
# Installed by meson as $datadir/bash-completion/completions/k8scheck, where
# bash-completion loads it on demand. To try it without installing:
#   source completions/k8scheck.bash
#
# Completes the commands (check, fix, rules, explain, lsp, version), every long
# option, the values of --format (FORMAT and FORMAT=FILE), --color,
# --profile, --fail-on, --pss (LEVEL and LEVEL:VERSION), rule ids for
# --enable, --disable, --severity (RULE=LEVEL) and explain (read from
# `k8scheck rules`), and file names elsewhere.
#
# It does not need bash-completion's helpers: '=' and ':' are word breaks in
# bash (COMP_WORDBREAKS), so `--format sarif=out` arrives as three words;
# _k8scheck_words joins them back, and the replies are trimmed to the part
# bash is completing.

_k8scheck_options='--format --output --stdin-filename --no-dockerfiles --pss --pss-summary
--profile --severity --config --no-config --show-config --policy --enable --disable
--color --fail-on --min-severity --baseline --write-baseline --fail-if-nothing-checked
--no-fail-if-nothing-checked --show-suppressed --report-unused-ignores
--quiet --jobs --max-file-size --max-document-size --max-depth --max-aliases --help --version'

_k8scheck_formats='text json sarif junit github gcc checkstyle'

# Options that take a value in the next word (or after '=').
_k8scheck_takes_value() {
	case $1 in
	-f | --format | -o | --output | --stdin-filename | --pss | --profile | \
		--severity | --config | --policy | --enable | --disable | --color | \
		--fail-on | --min-severity | --baseline | --write-baseline | --max-file-size | \
		--max-document-size | --max-depth | --max-aliases | -j | --jobs)
		return 0
		;;
	esac
	return 1
}

# The rule ids: the first column of `k8scheck rules`, without its header
# line and the paragraph after the table.
_k8scheck_rule_ids() {
	local bin=${COMP_WORDS[0]}
	case $bin in
	\~/*) bin=$HOME/${bin#\~/} ;;
	esac
	command -v "$bin" >/dev/null 2>&1 || bin=k8scheck
	"$bin" rules 2>/dev/null | awk 'NR == 1 { next } NF == 0 { exit } { print $1 }'
}

# _k8scheck_words: set _k8scheck_w (the words up to the cursor, with the
# pieces that bash split at '=' and ':' joined again) and _k8scheck_strip
# (how many leading characters of the last joined word bash is not
# completing).
_k8scheck_words() {
	local i t join=0 cur
	_k8scheck_w=()
	for ((i = 0; i <= COMP_CWORD; i++)); do
		t=${COMP_WORDS[i]}
		if [[ $t =~ ^[=:]+$ && ${#_k8scheck_w[@]} -gt 0 ]]; then
			_k8scheck_w[-1]+=$t
			join=1
		elif ((join)); then
			_k8scheck_w[-1]+=$t
			join=0
		else
			_k8scheck_w+=("$t")
		fi
	done
	cur=${COMP_WORDS[COMP_CWORD]}
	# Right after a '=' or ':' bash completes the empty word behind it.
	[[ $cur =~ ^[=:]+$ ]] && cur=
	_k8scheck_strip=$((${#_k8scheck_w[-1]} - ${#cur}))
}

# _k8scheck_files PREFIX PART: file and directory names starting with
# PART, each preceded by PREFIX.
_k8scheck_files() {
	local f
	while IFS= read -r f; do
		printf '%s%s\n' "$1" "$f"
	done < <(compgen -f -- "$2")
}

# Manifests: directories, *.yaml, *.yml, *.json, and '-'.
_k8scheck_manifests() {
	local f
	compgen -d -- "$1"
	while IFS= read -r f; do
		case $f in
		*.yaml | *.yml | *.json | *.YAML | *.YML | *.JSON) printf '%s\n' "$f" ;;
		esac
	done < <(compgen -f -- "$1")
	[[ -z $1 || $1 == - ]] && printf '%s\n' -
}

# _k8scheck_values OPTION VALUE: the candidate values of OPTION.
_k8scheck_values() {
	local opt=$1 val=$2 fmt v lvl
	case $opt in
	-f | --format)
		if [[ $val == *=* ]]; then
			fmt=${val%%=*}
			_k8scheck_files "$fmt=" "${val#*=}"
		else
			for fmt in $_k8scheck_formats; do
				printf '%s\n%s=\n' "$fmt" "$fmt"
			done
		fi
		;;
	--color) printf '%s\n' auto always never ;;
	--profile) printf '%s\n' default pss-baseline pss-restricted all ;;
	--fail-on | --min-severity) printf '%s\n' error warning info ;;
	--pss)
		if [[ $val == *:* ]]; then
			lvl=${val%%:*}
			printf '%s\n' "$lvl:latest"
			for ((v = 0; v <= 37; v++)); do
				printf '%s\n' "$lvl:v1.$v"
			done
		else
			for lvl in privileged baseline restricted; do
				printf '%s\n%s:\n' "$lvl" "$lvl"
			done
		fi
		;;
	--severity)
		if [[ $val == *=* ]]; then
			printf '%s\n' "${val%%=*}="{error,warning,info}
		else
			_k8scheck_rule_ids | sed 's/$/=/'
		fi
		;;
	--enable | --disable) _k8scheck_rule_ids ;;
	-o | --policy | --output | --config | --baseline | --write-baseline | --stdin-filename)
		_k8scheck_files "" "$val"
		;;
	esac
}

_k8scheck() {
	local _k8scheck_w _k8scheck_strip
	_k8scheck_words
	local cur=${_k8scheck_w[-1]} n=${#_k8scheck_w[@]}
	local prev='' cmd='' i w opt val prefix=''
	((n > 1)) && prev=${_k8scheck_w[n - 2]}

	# The command: the first word that is neither an option nor its value.
	for ((i = 1; i < n - 1; i++)); do
		w=${_k8scheck_w[i]}
		if [[ $w == -* ]]; then
			[[ $w != *=* ]] && _k8scheck_takes_value "$w" && ((i++))
			continue
		fi
		case $w in
		check | fix | rules | explain | lsp | version) cmd=$w ;;
		*) cmd=check ;;
		esac
		break
	done

	local -a cands=()
	local c files=0
	opt=
	if [[ $cur == --*=* ]] && _k8scheck_takes_value "${cur%%=*}"; then
		opt=${cur%%=*}
		val=${cur#*=}
		prefix=$opt=
	elif [[ -n $prev && $prev != *=* ]] && _k8scheck_takes_value "$prev" &&
		[[ $cmd != rules && $cmd != version ]]; then
		opt=$prev
		val=$cur
	fi
	if [[ -n $opt ]]; then
		mapfile -t cands < <(_k8scheck_values "$opt" "$val")
		case $opt in
		-o | --output | --config | --baseline | --write-baseline | \
			--stdin-filename | --policy) files=1 ;;
		-f | --format) [[ $val == *=* ]] && files=1 ;;
		esac
	elif [[ $cmd == rules || $cmd == version ]]; then
		cands=()
	elif [[ $cmd == lsp ]]; then
		[[ $prev == --log ]] && { mapfile -t cands < <(compgen -f -- "$cur"); files=1; } ||
			cands=(--log --stdio)
	elif [[ $cmd == explain ]]; then
		# one rule id, and nothing after it
		if [[ ${_k8scheck_w[n - 2]} == explain ]]; then
			mapfile -t cands < <(_k8scheck_rule_ids)
		fi
	elif [[ $cur == -* ]]; then
		read -r -d '' -a cands <<<"$_k8scheck_options -f -o -q -h -V"
		[[ $cmd == fix ]] && cands+=(--write --unsafe-fixes)
	else
		mapfile -t cands < <(_k8scheck_manifests "$cur")
		files=1
		if [[ -z $cmd ]]; then
			cands+=(check fix rules explain lsp version)
		fi
	fi

	COMPREPLY=()
	for c in "${cands[@]}"; do
		c=$prefix$c
		if [[ $c == "$cur"* ]]; then
			COMPREPLY+=("${c:_k8scheck_strip}")
		fi
	done

	# A value that goes on (FORMAT=, LEVEL:, RULE=): no space after it.
	# File names: let readline quote them and mark directories.
	if ((${#COMPREPLY[@]} == 1)) && [[ ${COMPREPLY[0]} == *[=:] ]]; then
		compopt -o nospace 2>/dev/null
	fi
	((files)) && compopt -o filenames 2>/dev/null
	return 0
}

complete -F _k8scheck k8scheck
