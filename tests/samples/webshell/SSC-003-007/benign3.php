<?php
$compiled = $this->compiler->compile($source);
eval('?>' . $compiled);
$bom = "\xEF\xBB\xBF";
