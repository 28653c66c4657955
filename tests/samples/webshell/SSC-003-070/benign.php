<?php
// A file-type sniffer: recognises executables by their first bytes.
function is_executable_upload(string $head): bool {
    return str_starts_with($head, "MZ") || str_starts_with($head, "\x7fELF");
}
$magic = ['pe' => '0x4d5a', 'elf' => '0x7f454c46'];
echo is_executable_upload(file_get_contents($_FILES['f']['tmp_name'], false, null, 0, 4)) ? 'no' : 'ok';
