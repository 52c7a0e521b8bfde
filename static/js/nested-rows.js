/* Child rows inside an inline's rows (cooperation/nested_inlines.py): a
 * programme's distributions with their items.
 *
 * "Add another" copies the block's hidden template row; "Remove" takes a new
 * row out again. The block's prefix is read from its TOTAL_FORMS field each
 * time, never kept: when Django's inlines.js adds or removes a parent row it
 * renames the parent's part of every name inside it (distributions-2-items-… →
 * distributions-1-items-…), and a prefix kept from before would then name rows
 * that the server reads under another parent, or not at all.
 *
 * A template row keeps its autocomplete field without the class that
 * autocomplete.js looks for: adding a parent row fires "formset:added" for
 * everything in it, and select2 must not be bound to a template that is copied
 * later. Each copy gets the class back before its own "formset:added".
 */
'use strict';
{
    const TEMPLATE_AUTOCOMPLETE = "nested-rows-autocomplete";

    function blockPrefix(block) {
        const total = block.querySelector(":scope > input[name$='-TOTAL_FORMS']");
        return total.name.slice(0, -"-TOTAL_FORMS".length);
    }

    function totalForms(block) {
        return block.querySelector(":scope > input[name$='-TOTAL_FORMS']");
    }

    function escaped(text) {
        return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }

    // prefix-<n or __prefix__>-field → prefix-<index>-field in id, name, for and
    // aria-describedby.
    function renumber(row, prefix, index) {
        const pattern = new RegExp(escaped(prefix) + "-(\\d+|__prefix__)(?=-|$)", "g");
        const replacement = prefix + "-" + index;
        for (const element of [row, ...row.querySelectorAll("*")]) {
            for (const name of ["id", "name", "for", "aria-describedby"]) {
                const value = element.getAttribute(name);
                if (value !== null && value.includes(prefix + "-")) {
                    element.setAttribute(name, value.replace(pattern, replacement));
                }
            }
        }
    }

    function rowsOf(block) {
        return Array.from(
            block.querySelectorAll(":scope > table > tbody > tr.nested-rows__row")
        );
    }

    function hideTemplateAutocompletes(root) {
        root.querySelectorAll("tr.nested-rows__template .admin-autocomplete").forEach(
            (select) => {
                select.classList.remove("admin-autocomplete");
                select.classList.add(TEMPLATE_AUTOCOMPLETE);
            }
        );
    }

    function addRow(block) {
        const prefix = blockPrefix(block);
        const total = totalForms(block);
        const index = parseInt(total.value, 10);
        const template = block.querySelector(
            ":scope > table > tbody > tr.nested-rows__template"
        );
        const row = template.cloneNode(true);
        row.hidden = false;
        row.classList.remove("nested-rows__template");
        row.classList.add("nested-rows__row", "nested-rows__new");
        row.querySelectorAll("." + TEMPLATE_AUTOCOMPLETE).forEach((select) => {
            select.classList.remove(TEMPLATE_AUTOCOMPLETE);
            select.classList.add("admin-autocomplete");
        });
        renumber(row, prefix, index);
        row.id = prefix + "-" + index;
        template.before(row);
        total.value = index + 1;
        row.dispatchEvent(new CustomEvent("formset:added", {
            bubbles: true,
            detail: {formsetName: prefix},
        }));
        const first = row.querySelector("input:not([type=hidden]), select, textarea");
        if (first && !first.classList.contains("admin-autocomplete")) {
            first.focus();
        }
    }

    function removeRow(block, row) {
        const prefix = blockPrefix(block);
        const errors = row.previousElementSibling;
        if (errors && errors.classList.contains("row-form-errors")) {
            errors.remove();
        }
        row.remove();
        const rows = rowsOf(block);
        rows.forEach((each, index) => renumber(each, prefix, index));
        totalForms(block).value = rows.length;
        document.dispatchEvent(new CustomEvent("formset:removed", {
            detail: {formsetName: prefix},
        }));
    }

    document.addEventListener("click", (event) => {
        const add = event.target.closest(".nested-rows__add-button");
        const remove = event.target.closest(".nested-rows__remove");
        if (!add && !remove) {
            return;
        }
        event.preventDefault();
        const block = event.target.closest(".nested-rows");
        if (add) {
            addRow(block);
        } else {
            removeRow(block, remove.closest("tr"));
        }
    });

    // Before autocomplete.js's own handler sees a new parent row.
    document.addEventListener("formset:added", (event) => {
        hideTemplateAutocompletes(event.target);
    }, true);

    document.addEventListener("DOMContentLoaded", () => {
        hideTemplateAutocompletes(document);
    });
}
