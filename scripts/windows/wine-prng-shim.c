/* For testing under Wine only, never shipped: Wine 8 has no ProcessPrng in
 * bcryptprimitives.dll, which Rust's standard library calls for random bytes. This stand-in
 * answers it with RtlGenRandom (advapi32's SystemFunction036), which Wine has.
 * scripts/windows-check.sh builds it with mingw-w64 and puts it beside the installed program
 * in the test's Wine prefix. */
#include <windows.h>

BOOLEAN NTAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
