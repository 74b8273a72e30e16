# SPDX-License-Identifier: GPL-2.0
#
# KTAP/TAP to the rig's result lines: each "ok N name", "not ok N name" or
# "ok N name # SKIP why" at the given depth (-v indent=spaces) becomes
# "RESULT pass|fail|skip <prefix><name>". Deeper lines (a parameterised
# test's parameters) are left to their parent's line.
BEGIN {
	want = sprintf("^%" indent "s(not )?ok [0-9]+ ", "")
}
$0 ~ want {
	status = ($1 == "not") ? "fail" : "pass"
	line = $0
	sub(want, "", line)
	if (line ~ /# SKIP/)
		status = "skip"
	sub(/ *#.*/, "", line)
	print "RESULT " status " " prefix line
}
