<?php
foreach (['a', 'b'] as $name) { $$name = 1; }
$total = ${'a'} + ${'b'};
