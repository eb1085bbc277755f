#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# kernel_btf.sh VMLINUZ OUTDIR - get a kernel's BTF out of its boot image,
# without booting it.
#
# A vmlinuz is one of:
#   - a vmlinux ELF file (some distributions ship it as is);
#   - a boot stub followed by a compressed vmlinux ELF (x86 bzImage, and
#     the EFI zboot images of newer arm64 kernels): the payload is found
#     by trying every place where a compressor's magic number appears;
#   - a raw, uncompressed image (Debian's arm64 "Image"): no sections at
#     all, but the BTF blob sits in it whole (between __start_BTF and
#     __stop_BTF), found by its 24-byte header.
# Writes OUTDIR/vmlinux.btf (raw BTF), and OUTDIR/vmlinux when there was
# an ELF file; prints one line saying which.  Exit 1 when no BTF is found.
# Uses the host's gzip, xz, zstd, bzip2, lz4, lzop (whichever exist),
# objcopy and od.
set -u
vmlinuz=${1:?usage: kernel_btf.sh VMLINUZ OUTDIR}
out=${2:?usage: kernel_btf.sh VMLINUZ OUTDIR}
mkdir -p "$out" || exit 1
elf=$out/vmlinux
btf=$out/vmlinux.btf
rm -f "$elf" "$btf"

is_elf() {
	[ "$(head -c 4 "$1" | od -An -c | tr -d ' ')" = "177ELF" ]
}

# Byte offsets of a pattern (grep -P escapes) in a binary file.
offsets() {
	LC_ALL=C grep -obUaP "$1" "$2" 2>/dev/null | cut -d: -f1
}

# decompress MAGIC COMMAND...: try the payload at every offset of MAGIC.
try_payload() {
	magic=$1
	shift
	command -v "$1" >/dev/null 2>&1 || return 1
	for off in $(offsets "$magic" "$vmlinuz"); do
		tail -c +$((off + 1)) "$vmlinuz" | "$@" >"$elf.part" 2>/dev/null
		if [ -s "$elf.part" ] && is_elf "$elf.part"; then
			mv "$elf.part" "$elf"
			echo "$(basename "$1") payload at byte $off"
			return 0
		fi
	done
	rm -f "$elf.part"
	return 1
}

# A u32 (little-endian) at byte offset $2 of file $1.
u32_at() {
	od -An -tu4 -j "$2" -N 4 "$1" | tr -d ' '
}

# The raw image: a BTF header is magic 0xeb9f, version 1, flags 0,
# hdr_len 24; the blob is the header plus its type and string sections.
carve_btf() {
	for off in $(offsets '\x9f\xeb\x01\x00\x18\x00\x00\x00' "$1"); do
		type_off=$(u32_at "$1" $((off + 8)))
		type_len=$(u32_at "$1" $((off + 12)))
		str_off=$(u32_at "$1" $((off + 16)))
		str_len=$(u32_at "$1" $((off + 20)))
		end=$((type_off + type_len))
		[ $((str_off + str_len)) -gt "$end" ] && end=$((str_off + str_len))
		size=$((24 + end))
		[ "$type_len" -gt 0 ] && [ "$str_len" -gt 0 ] || continue
		tail -c +$((off + 1)) "$1" | head -c "$size" >"$btf"
		[ "$(wc -c <"$btf")" -eq "$size" ] || continue
		echo "raw image: BTF header at byte $off, $size bytes"
		return 0
	done
	rm -f "$btf"
	return 1
}

[ -f "$vmlinuz" ] || { echo "$vmlinuz: no such file"; exit 1; }
if is_elf "$vmlinuz"; then
	cp "$vmlinuz" "$elf" && echo "vmlinux ELF as it is"
else
	try_payload '\x1f\x8b\x08' gzip -dc ||
		try_payload '\xfd\x37\x7a\x58\x5a\x00' xz -dc ||
		try_payload '\x28\xb5\x2f\xfd' zstd -dcq ||
		try_payload 'BZh' bzip2 -dc ||
		try_payload '\x02\x21\x4c\x18' lz4 -dcq ||
		try_payload '\x5d\x00\x00' xz -dc --format=lzma ||
		try_payload '\x89\x4c\x5a' lzop -dc ||
		true
fi
if [ -f "$elf" ]; then
	objcopy -O binary --only-section=.BTF "$elf" "$btf" 2>/dev/null
	[ -s "$btf" ] && { echo "BTF from the .BTF section of $elf"; exit 0; }
	echo "$elf has no .BTF section (a kernel built without CONFIG_DEBUG_INFO_BTF)"
	exit 1
fi
carve_btf "$vmlinuz" && exit 0
echo "no vmlinux ELF and no BTF found in $vmlinuz"
exit 1
