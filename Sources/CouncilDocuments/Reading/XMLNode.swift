import CLibXML2

/// A read-only view of a node in a libxml2 tree (HTML or XML). Valid while
/// its document lives; every string is copied out.
struct XMLNode {
    let pointer: xmlNodePtr

    var isElement: Bool { pointer.pointee.type == XML_ELEMENT_NODE }
    var isText: Bool { pointer.pointee.type == XML_TEXT_NODE || pointer.pointee.type == XML_CDATA_SECTION_NODE }

    /// The local name ("p", "tbl"); the HTML parser gives it in lower case.
    var name: String {
        guard let name = pointer.pointee.name else { return "" }
        return String(cString: name)
    }

    /// The namespace URI of an element, if any.
    var namespace: String? {
        guard let ns = pointer.pointee.ns, let href = ns.pointee.href else { return nil }
        return String(cString: href)
    }

    /// A text node's text.
    var content: String {
        guard let content = pointer.pointee.content else { return "" }
        return String(cString: content)
    }

    var firstChild: XMLNode? { pointer.pointee.children.map(XMLNode.init) }
    var nextSibling: XMLNode? { pointer.pointee.next.map(XMLNode.init) }

    /// The children, in order.
    var children: [XMLNode] {
        var result: [XMLNode] = []
        var child = firstChild
        while let node = child {
            result.append(node)
            child = node.nextSibling
        }
        return result
    }

    /// The child elements named `name` (in any namespace).
    func elements(_ name: String) -> [XMLNode] {
        children.filter { $0.isElement && $0.name == name }
    }

    func firstElement(_ name: String) -> XMLNode? {
        var child = firstChild
        while let node = child {
            if node.isElement && node.name == name { return node }
            child = node.nextSibling
        }
        return nil
    }

    /// An attribute's value by local name, in any namespace ("val" finds
    /// `w:val`); HTML attribute names are matched without case.
    func attribute(_ name: String) -> String? {
        var property = pointer.pointee.properties
        while let p = property {
            if let pname = p.pointee.name, String(cString: pname).lowercased() == name {
                // The value is the attribute's text children.
                var value = ""
                var child = p.pointee.children
                while let c = child {
                    value += XMLNode(pointer: c).content
                    child = c.pointee.next
                }
                return value
            }
            property = p.pointee.next
        }
        return nil
    }

    /// All the text under the node, white space as it is.
    var text: String {
        var out = ""
        var stack: [XMLNode] = [self]
        while let node = stack.popLast() {
            if node.isText {
                out += node.content
            } else {
                stack += node.children.reversed()
            }
        }
        return out
    }
}

/// libxml2 set-up shared by the readers.
enum LibXML {
    /// Initialise libxml2 once, before threads parse at the same time.
    static let initialised: Void = {
        xmlInitParser()
    }()

    /// The message of the last error of a parser context: "Premature end
    /// of data in tag document line 1", "Extra content at the end of the
    /// document (line 3)".
    static func lastError(_ context: xmlParserCtxtPtr) -> String? {
        let error = context.pointee.lastError
        guard error.code != 0, let message = error.message else { return nil }
        let text = String(cString: message).trimmed
        return error.line > 0 && !text.contains(" line ") ? "\(text) (line \(error.line))" : text
    }
}
