/*
 * Probe: __int128 and unsigned __int128 (16-byte INT), as globals, struct
 * members, array elements and a function parameter/return.
 *
 * Why avenues might drift: 128-bit INT is legal BTF (nr_bits=128) but is
 * rare. pahole reads DW_ATE_signed/unsigned of byte_size 16; gcc -gbtf maps
 * TImode. Names ("__int128" vs "__int128 unsigned" vs "unsigned __int128")
 * and the alignment/padding of 16-byte members are the likely drift points.
 * clang-16 --target=bpf accepts __int128 types, but its backend crashes
 * ("error in backend: unable to allocate function return #1") on a function
 * returning __int128 by value, so add128 is guarded with #ifndef __bpf__;
 * mul128 uses the types through pointers on every target.
 */
__int128 s128;
unsigned __int128 u128;

struct wide {
	char tag;
	__int128 s;
	unsigned __int128 u;
};

struct wide wide_var;
unsigned __int128 u128_arr[2];

#ifndef __bpf__
__int128 add128(__int128 a, unsigned __int128 b)
{
	return a + (__int128)b;
}
#endif

void mul128(__int128 *out, const unsigned __int128 *in)
{
	*out = (__int128)*in;
}
