#!/bin/bash
# Include layering: no C file includes a header of a higher layer, a tool
# never includes another tool's headers, lib/ never includes a tool's, and
# in lib/dump a reader never includes a writer's header. The layers and the
# reader/writer lists are in doc/layers.txt, the one place they are written.
set -u
. "$top_srcdir/test/lib/report.sh"

top=$(cd "$top_srcdir" && pwd)
TABLE=$top/doc/layers.txt
[ -f "$TABLE" ] || { fail "no layer table doc/layers.txt"; finish; }

# --- the table ---
LAYER_NAMES=()		# index = layer number, 0 lowest
FOLDERS=()		# every folder of every layer
FOLDER_LAYER=()		# its layer number
READERS=() WRITERS=()	# stem patterns
while read -r name rest; do
	case $name in ''|'#'*) continue ;; esac
	case $name in
	reader) read -ra more <<<"$rest"; READERS+=("${more[@]}") ;;
	writer) read -ra more <<<"$rest"; WRITERS+=("${more[@]}") ;;
	*)
		[ -n "$rest" ] || { fail "doc/layers.txt: layer $name has no folder"; continue; }
		for f in $rest; do
			FOLDERS+=("${f%/}")
			FOLDER_LAYER+=("${#LAYER_NAMES[@]}")
		done
		LAYER_NAMES+=("$name") ;;
	esac
done <"$TABLE"
nlayers=${#LAYER_NAMES[@]}
if [ "$nlayers" -lt 2 ]; then
	fail "doc/layers.txt: $nlayers layers read, want the whole order"
	finish
fi
TOOLS=-1	# the layer whose folders are separate programs
for i in "${!LAYER_NAMES[@]}"; do
	[ "${LAYER_NAMES[$i]}" = tools ] && TOOLS=$i
done
[ "$TOOLS" -ge 0 ] || fail "doc/layers.txt: no \"tools\" layer"

# The table matches the tree: its folders exist (tools may come later),
# every folder of lib/ is in a layer, reader/writer stems name files.
table_ok=1
for i in "${!FOLDERS[@]}"; do
	if [ ! -d "$top/${FOLDERS[$i]}" ] && [ "${FOLDER_LAYER[$i]}" -ne "$TOOLS" ]; then
		fail "doc/layers.txt: folder ${FOLDERS[$i]} does not exist"; table_ok=0
	fi
done
for d in "$top"/lib/*/; do
	[ -d "$d" ] || continue
	d=${d%/}; d=lib/${d##*/}
	listed=0
	for f in "${FOLDERS[@]}"; do [ "$f" = "$d" ] && listed=1; done
	[ "$listed" -eq 1 ] || { fail "doc/layers.txt: $d is in no layer"; table_ok=0; }
done
[ ${#READERS[@]} -gt 0 ] && [ ${#WRITERS[@]} -gt 0 ] ||
	{ fail "doc/layers.txt: no reader or no writer line"; table_ok=0; }
for s in "${READERS[@]}" "${WRITERS[@]}"; do
	if ! compgen -G "$top/$s.[ch]" >/dev/null; then
		fail "doc/layers.txt: no file $s.c or $s.h (reader/writer list out of date)"; table_ok=0
	fi
done
[ "$table_ok" -eq 1 ] && pass "doc/layers.txt: $nlayers layers (${LAYER_NAMES[*]}), folders match the tree"

# layer_of PATH: sets LAYER (number, -1 if none) and FOLDER, by the
# longest folder of the table that PATH (relative to $top) lies in.
layer_of() {
	local i best=0
	LAYER=-1 FOLDER=
	for i in "${!FOLDERS[@]}"; do
		case $1 in
		"${FOLDERS[$i]}"/*)
			if [ ${#FOLDERS[$i]} -gt "$best" ]; then
				best=${#FOLDERS[$i]} LAYER=${FOLDER_LAYER[$i]} FOLDER=${FOLDERS[$i]}
			fi ;;
		esac
	done
}

# Tool folders that exist, for the -I list.
TOOL_DIRS=()
for i in "${!FOLDERS[@]}"; do
	[ "${FOLDER_LAYER[$i]}" -eq "$TOOLS" ] && [ -d "$top/${FOLDERS[$i]}" ] &&
		TOOL_DIRS+=("${FOLDERS[$i]}")
done

# resolve FROM KIND NAME: sets HDR to the header's path relative to $top,
# empty if it is none of ours. Search order as the compiler's: for "..." the
# including file's folder first; then -I lib; then the including tool's
# own folder and the other tools' (AM_CPPFLAGS has -I makedumpfile for all);
# for "..." last the top of the tree, for paths like "lib/util/log.h".
resolve() {
	local from=$1 kind=$2 name=$3 own=$4 d
	local -a dirs=()
	HDR=
	[ "$kind" = '"' ] && dirs+=("${from%/*}")
	dirs+=(lib)
	[ -n "$own" ] && dirs+=("$own")
	for d in "${TOOL_DIRS[@]}"; do [ "$d" != "$own" ] && dirs+=("$d"); done
	[ "$kind" = '"' ] && dirs+=(.)
	for d in "${dirs[@]}"; do
		if [ -f "$top/$d/$name" ]; then
			HDR=$(realpath -m -s --relative-to="$top" "$top/$d/$name")
			return
		fi
	done
}

# in_list STEM PATTERN...: is STEM one of the patterns?
in_list() {
	local s=$1 p; shift
	for p in "$@"; do
		# shellcheck disable=SC2053 # the table holds patterns
		[[ $s == $p ]] && return 0
	done
	return 1
}
stem() { local s=${1%.c}; echo "${s%.h}"; }

# --- the scan, one layer at a time ---
total_files=0
for layer in "${!LAYER_NAMES[@]}"; do
	lname=${LAYER_NAMES[$layer]}
	dirs=()
	for i in "${!FOLDERS[@]}"; do
		[ "${FOLDER_LAYER[$i]}" -eq "$layer" ] && [ -d "$top/${FOLDERS[$i]}" ] &&
			dirs+=("${FOLDERS[$i]}")
	done
	if [ ${#dirs[@]} -eq 0 ]; then
		[ "$layer" -eq "$TOOLS" ] && fail "layer $lname: none of its folders exists"
		continue
	fi
	nfiles=0 nincs=0 nbad=0
	while IFS= read -r file; do
		layer_of "$file"
		# A file of a nested folder that is a layer of its own is checked there.
		[ "$LAYER" -eq "$layer" ] || continue
		own=; [ "$layer" -eq "$TOOLS" ] && own=$FOLDER
		my_folder=$FOLDER
		nfiles=$((nfiles + 1))
		is_reader=0
		in_list "$(stem "$file")" "${READERS[@]}" && is_reader=1
		while IFS=: read -r lineno kind name; do
			nincs=$((nincs + 1))
			close='"'; [ "$kind" = '<' ] && close='>'
			where="$file:$lineno: #include $kind$name$close"
			resolve "$file" "$kind" "$name" "$own"
			if [ -z "$HDR" ]; then
				# <...> not ours is a system header; "..." may be generated.
				[ "$kind" = '<' ] && continue
				[ -f "${top_builddir:-.}/$name" ] && continue
				case $file:$name in
				lib/*:src/*) fail "$where: lib/ includes a tool's src/ header" ;;
				*) fail "$where: no such header in the tree" ;;
				esac
				nbad=$((nbad + 1)); continue
			fi
			[ "$HDR" = "$file" ] && continue
			layer_of "$HDR"
			if [ "$LAYER" -lt 0 ]; then
				fail "$where: $HDR is in no layer of doc/layers.txt"
				nbad=$((nbad + 1))
			elif [ "$LAYER" -gt "$layer" ]; then
				if [ "$LAYER" -eq "$TOOLS" ]; then
					fail "$where: $lname (layer $layer) includes tool header $HDR"
				else
					fail "$where: $lname (layer $layer) includes $HDR of ${LAYER_NAMES[$LAYER]} (layer $LAYER)"
				fi
				nbad=$((nbad + 1))
			elif [ "$LAYER" -eq "$TOOLS" ] && [ "$FOLDER" != "$my_folder" ]; then
				fail "$where: tool $my_folder includes $HDR of tool $FOLDER"
				nbad=$((nbad + 1))
			elif [ "$is_reader" -eq 1 ] && in_list "$(stem "$HDR")" "${WRITERS[@]}"; then
				fail "$where: reader $(stem "$file") includes writer header $HDR"
				nbad=$((nbad + 1))
			fi
		done < <(grep -n '^[[:space:]]*#[[:space:]]*include' "$top/$file" |
			sed -n 's/^\([0-9]*\):[[:space:]]*#[[:space:]]*include[[:space:]]*\([<"]\)\([^">]*\)[">].*/\1:\2:\3/p')
	done < <(cd "$top" && find "${dirs[@]}" -type f \( -name '*.c' -o -name '*.h' \) | sort)
	total_files=$((total_files + nfiles))
	if [ "$nfiles" -eq 0 ]; then
		fail "layer $lname (${dirs[*]}): no C file to check"
	elif [ "$nbad" -eq 0 ]; then
		pass "layer $lname (${dirs[*]}): $nfiles files, $nincs includes, none from a higher layer"
	else
		fail "layer $lname (${dirs[*]}): $nfiles files, $nincs includes, $nbad violations"
	fi
done

if [ "$total_files" -eq 0 ]; then
	fail "scanned no C file"
else
	echo "scanned $total_files C files"
fi

finish
